using System.Globalization;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Worker.Media;

namespace NeuroCards.Worker.Storyboards;

/// <summary>
/// The preview's stills, one per scene, made from the seller's photo with ffmpeg (offline, free): the whole photo over
/// a blurred copy of itself in the order's frame, in the lower part so the captions sit above it as they will in the
/// video — the first scene with the headline, the others with their captions. Each scene is framed its own way: the
/// whole product, a close-up of its middle, then the whole again in a warmer and a cooler light.
/// </summary>
public sealed class KeyframeMaker(Ffmpeg ffmpeg)
{
    // The product's box: 86 % of the frame's width, 62 % of its height, its bottom 6 % above the frame's.
    private const double BoxWidth = 0.86, BoxHeight = 0.62, Bottom = 0.06;

    /// <summary>
    /// Writes scene N's stills to <c>keyframe-N.jpg</c> (with its caption, for the preview) and <c>clean-N.jpg</c> (without,
    /// where the scene's clip starts: a video model would animate drawn text) in <paramref name="workDir"/>, in scene order.
    /// </summary>
    /// <param name="redraw">Which drawing this is: each re-draw frames every scene another way.</param>
    /// <param name="drawn">Pictures an image model drew for some scenes (null where it did not): those scenes use them, filling
    /// the frame, with the caption in the top third the model was asked to keep plain.</param>
    public async Task<IReadOnlyList<Keyframe>> MakeAsync(string photo, Storyboard storyboard, VideoFormat format, string workDir,
        CancellationToken cancellationToken, int redraw = 0, IReadOnlyList<string?>? drawn = null)
    {
        var (width, height) = MarketplaceFormatter.FrameOf(format);
        var (boxWidth, boxHeight) = ((int)(width * BoxWidth) / 2 * 2, (int)(height * BoxHeight) / 2 * 2);
        var productTop = height - (int)(height * Bottom) - boxHeight;
        var frames = new List<Keyframe>();
        for (var i = 0; i < storyboard.Scenes.Count; i++)
        {
            var scene = storyboard.Scenes[i];
            string[] captions = i == 0 ? [storyboard.Headline] : scene.Caption.Length > 0 ? [scene.Caption] : [];
            var lines = captions.Length == 0 ? [] : MarketplaceFormatter.Place(captions, width, height, (productTop, height));
            var captionDir = Path.Combine(workDir, $"keyframe-{i}");
            Directory.CreateDirectory(captionDir);
            var text = lines.Count == 0 ? "null" : MarketplaceFormatter.DrawText(lines, captionDir);
            var frame = new Keyframe(Path.Combine(workDir, $"clean-{i}.jpg"), Path.Combine(workDir, $"keyframe-{i}.jpg"));
            var picture = drawn is not null && i < drawn.Count ? drawn[i] : null;
            if (picture is not null)
            {
                var top = captions.Length == 0 ? "null" : MarketplaceFormatter.DrawText(MarketplaceFormatter.Place(captions, width, height), captionDir);
                await ffmpeg.TranscodeAsync(["-i", picture, "-filter_complex",
                    $"[0:v]scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height},setsar=1,format=yuv420p,split=2[clean][c];[c]{top}[captioned]",
                    "-map", "[clean]", "-frames:v", "1", "-q:v", "3", frame.Clean, "-map", "[captioned]", "-frames:v", "1", "-q:v", "3", frame.Captioned],
                    cancellationToken);
                frames.Add(frame);
                continue;
            }
            var filter = string.Create(CultureInfo.InvariantCulture,
                $"[0:v]split=2[a][b];[a]scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height},"
                + $"gblur=sigma=30,eq=brightness=-0.15[bg];[b]{Framing(i + redraw)}scale={boxWidth}:{boxHeight}:force_original_aspect_ratio=decrease[fg];"
                + $"[bg][fg]overlay=x=(W-w)/2:y={productTop}+({boxHeight}-h)/2,format=yuv420p,split=2[clean][c];[c]{text}[captioned]");
            await ffmpeg.TranscodeAsync(["-i", photo, "-filter_complex", filter,
                "-map", "[clean]", "-frames:v", "1", "-q:v", "3", frame.Clean, "-map", "[captioned]", "-frames:v", "1", "-q:v", "3", frame.Captioned],
                cancellationToken);
            frames.Add(frame);
        }
        return frames;
    }

    /// <summary>
    /// How scene <paramref name="index"/> shows the product, each a different shot: whole, a close-up of its middle, a
    /// close-up of its upper part in warm light, of its lower part in cool light.
    /// </summary>
    private static string Framing(int index) => (index % 4) switch
    {
        0 => "",
        1 => "crop=iw*0.6:ih*0.6,",
        2 => "crop=iw*0.75:ih*0.6:iw*0.125:0,colorbalance=rs=0.08:gs=0.02:bs=-0.06,",
        _ => "crop=iw*0.75:ih*0.6:iw*0.125:ih*0.4,colorbalance=rs=-0.05:bs=0.08,",
    };
}
