using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Worker.Media;
using NeuroCards.Worker.Storyboards;

namespace NeuroCards.Tests.Worker.Storyboards;

/// <summary>
/// The preview's stills from the seller's photo, read from their pixels: one per scene in the order's frame, the whole
/// product in the first (both edges of the photo), the scenes framed differently, and the captions above the product,
/// never on it.
/// </summary>
public sealed class KeyframeMakerTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nc-keyframes-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Ffmpeg _ffmpeg = new(NullLogger<Ffmpeg>.Instance);
    private string _photo = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        // A 3:4 product photo with a red stripe on its left edge and a green one on its right.
        _photo = Path.Combine(_dir, "mug.jpg");
        await Tools.FfmpegAsync("-loglevel error -f lavfi -i color=c=0xf4efe6:s=900x1200 -vf "
            + "drawbox=x=0:y=0:w=40:h=1200:color=0xff0000:t=fill,drawbox=x=860:y=0:w=40:h=1200:color=0x00ff00:t=fill,"
            + "drawbox=x=250:y=350:w=400:h=500:color=0x2a6fb0:t=fill -frames:v 1 -q:v 2 " + _photo);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Each_scene_gets_its_own_still_in_the_frame_with_its_caption_above_the_product()
    {
        var storyboard = Storyboard.FromLines(["Термокружка «Фрост»", "Держит тепло 6 часов", "Можно в посудомойку"]);

        var stills = await new KeyframeMaker(_ffmpeg).MakeAsync(_photo, storyboard, VideoFormat.Card, _dir, CancellationToken.None);

        Assert.Equal(storyboard.Scenes.Count, stills.Count);
        // Kept to look at.
        for (var i = 0; i < stills.Count; i++) File.Copy(stills[i].Captioned, Path.Combine(Chromium.ArtefactDir(), $"keyframe-{i + 1}.jpg"), overwrite: true);
        var frames = new List<byte[]>();
        foreach (var still in stills.Select(s => s.Captioned))
        {
            var info = await _ffmpeg.ProbeAsync(still, CancellationToken.None);
            Assert.Equal((810, 1080), (info.Width, info.Height));
            frames.Add(await RgbAsync(still));
        }
        // The first still shows the whole photo (both stripes); the close-up does not.
        Assert.True(Rows(frames[0], (r, g, b) => r > 170 && g < 90 && b < 90).Count() > 2000, "the product's left edge is cut off");
        Assert.True(Rows(frames[0], (r, g, b) => g > 170 && r < 100 && b < 100).Count() > 2000, "the product's right edge is cut off");
        Assert.True(Rows(frames[1], (r, g, b) => r > 170 && g < 90 && b < 90).Count() < 100, "the close-up is the whole product again");
        for (var i = 1; i < frames.Count; i++)
            Assert.True(MeanDifference(frames[0], frames[i]) > 3, $"scene {i + 1} looks like scene 1");

        foreach (var frame in frames)
        {
            // The caption's white glyphs, all above the product (the photo's stripes and mug).
            var productTop = Rows(frame, (r, g, b) => (r > 170 && g < 90 && b < 90) || (b > 140 && r < 90 && g < 150)).Min();
            // Rows with a few white pixels, not a JPEG speck on the photo's cream background.
            var text = Rows(frame, (r, g, b) => r > 240 && g > 240 && b > 240).GroupBy(y => y).Where(row => row.Count() >= 5).SelectMany(row => row).ToList();
            Assert.True(text.Count > 800, "no caption");
            Assert.True(text.Max() < productTop, $"a caption at row {text.Max()}, the product starts at {productTop}");
        }

        // The still a scene's clip starts from is the same picture without any text: a video model would animate it.
        foreach (var still in stills)
        {
            var clean = await RgbAsync(still.Clean);
            Assert.True(Rows(clean, (r, g, b) => r > 240 && g > 240 && b > 240).GroupBy(y => y).Count(row => row.Count() >= 5) < 3, "text on a clean still");
            Assert.True(MeanDifference(clean, await RgbAsync(still.Captioned)) < 12, "the clean still is another picture");
        }
    }

    private async Task<byte[]> RgbAsync(string image)
    {
        var raw = Path.Combine(_dir, $"frame-{Guid.NewGuid():N}.rgb");
        await Tools.FfmpegAsync($"-loglevel error -i {image} -f rawvideo -pix_fmt rgb24 {raw}");
        return await File.ReadAllBytesAsync(raw);
    }

    /// <summary>The rows of the matching pixels away from the frame's edges, where the blurred backdrop echoes the photo's stripes.</summary>
    private static IEnumerable<int> Rows(byte[] frame, Func<byte, byte, byte, bool> match)
    {
        for (var i = 0; i < frame.Length; i += 3)
            if (i / 3 % 810 is > 60 and < 750 && match(frame[i], frame[i + 1], frame[i + 2])) yield return i / 3 / 810;
    }

    private static double MeanDifference(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return (double)sum / a.Length;
    }
}
