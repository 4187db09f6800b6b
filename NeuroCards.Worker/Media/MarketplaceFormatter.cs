using System.Globalization;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Orders;

namespace NeuroCards.Worker.Media;

/// <summary>
/// Makes a provider's video ready to upload where the seller wants it: the order's frame (a model that rendered it
/// natively is kept as it is; anything else is reframed over a blurred copy of itself, never cropped), at least 8 s
/// (a shorter clip loops with a crossfade), H.264/MP4 within the size limit, and the captions drawn large in the
/// first 8 s (the part Ozon shows muted in its catalogue) inside safe margins, beside the product and never over it.
/// A file that already passes and needs no captions is left untouched.
/// </summary>
public sealed class MarketplaceFormatter(Ffmpeg ffmpeg, ILogger<MarketplaceFormatter> logger)
{
    public const double CaptionSeconds = 8;
    private const double Fade = 1;
    private const int BenefitFont = 36;

    /// <summary>The frame a format is delivered in when the video has to be redrawn.</summary>
    public static (int Width, int Height) FrameOf(VideoFormat format) => format switch
    {
        VideoFormat.Card => (810, 1080),
        VideoFormat.Square => (1080, 1080),
        _ => (720, 1280),
    };

    /// <summary>
    /// The filter chain that puts a picture whole into a <paramref name="width"/>×<paramref name="height"/> frame over a
    /// blurred, darkened copy of itself (nothing cut off); <paramref name="tag"/> keeps its labels apart in a larger graph.
    /// </summary>
    public static string OverBlur(int width, int height, string tag) =>
        $"split=2[a{tag}][b{tag}];[a{tag}]scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height},"
        + $"gblur=sigma=30,eq=brightness=-0.15[bg{tag}];[b{tag}]scale={width}:{height}:force_original_aspect_ratio=decrease[fg{tag}];"
        + $"[bg{tag}][fg{tag}]overlay=x=(W-w)/2:y=(H-h)/2,setsar=1";

    public static bool HasShape(MediaInfo info, VideoFormat format)
    {
        var (w, h) = FrameOf(format);
        return info.Height > 0 && Math.Abs((double)info.Width / info.Height - (double)w / h) < 0.02;
    }

    /// <summary>Writes the marketplace-ready file to <paramref name="output"/> and returns its facts; false when the input was fine as it is.</summary>
    public async Task<bool> FormatAsync(string input, string output, VideoFormat format, IReadOnlyList<string> captions, string workDir,
        CancellationToken cancellationToken)
    {
        var info = await ffmpeg.ProbeAsync(input, cancellationToken);
        var keepFrame = HasShape(info, format) && info.Facts.LongestSide is >= MarketplaceCheck.MinLongestSide and <= MarketplaceCheck.MaxLongestSide;
        if (keepFrame && captions.Count == 0 && MarketplaceCheck.Problems(info.Facts).Count == 0) return false;

        var (width, height) = keepFrame ? (info.Width, info.Height) : FrameOf(format);
        var filter = new List<string>
        {
            keepFrame
                ? $"[0:v]fps=30,format=yuv420p[framed]"
                // The whole picture over a blurred, darkened copy of itself: nothing of the product is cut off.
                : $"[0:v]fps=30,{OverBlur(width, height, "")},format=yuv420p[framed]",
        };
        var last = "framed";
        var duration = Math.Max(info.DurationSeconds, 0.5);
        var seconds = duration;
        if (duration < MarketplaceCheck.MinSeconds)
        {
            // Never rejected for being short: the clip plays again, crossfading into itself, until it lasts 8 s.
            var fade = Math.Min(Fade, duration / 3);
            var copies = (int)Math.Ceiling((MarketplaceCheck.MinSeconds + 0.05 - fade) / (duration - fade));
            filter.Add($"[framed]split={copies}" + string.Concat(Enumerable.Range(0, copies).Select(i => $"[c{i}]")));
            last = "c0";
            for (var i = 1; i < copies; i++)
            {
                var offset = (i * (duration - fade)).ToString("0.###", CultureInfo.InvariantCulture);
                filter.Add($"[{last}][c{i}]xfade=transition=fade:duration={fade.ToString("0.###", CultureInfo.InvariantCulture)}:offset={offset}[x{i}]");
                last = $"x{i}";
            }
            seconds = copies * duration - (copies - 1) * fade;
        }
        if (captions.Count > 0)
        {
            var product = ProductRows.From(await ffmpeg.DetailRowsAsync(input, info, CaptionSeconds, workDir, cancellationToken));
            var placed = Place(captions, width, height, product?.In(width, height, info.Width, info.Height));
            filter.Add($"[{last}]{DrawText(placed, workDir, $"lt(t,{CaptionSeconds})")}[captioned]");
            last = "captioned";
        }

        var args = new List<string> { "-i", input, "-filter_complex", string.Join(";", filter), "-map", $"[{last}]" };
        if (info.HasAudio) args.AddRange(["-map", "0:a:0", "-af", "apad", "-c:a", "aac", "-b:a", "96k"]);
        args.AddRange(["-t", seconds.ToString("0.###", CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
            "-maxrate", "6M", "-bufsize", "12M", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4", output]);
        await ffmpeg.TranscodeAsync(args, cancellationToken);
        logger.LogInformation("Video formatted for {Format}: {Width}x{Height}, {Seconds:0.#} s, {Captions} caption(s)",
            format, width, height, seconds, captions.Count);
        return true;
    }

    /// <summary>
    /// The drawtext filters that draw <paramref name="placed"/> as every caption is drawn: white DejaVu Sans Bold on a dark
    /// box, centred, each line's text read from a file in <paramref name="workDir"/> (drawn literally, never expanded),
    /// shown while <paramref name="enable"/> holds (an ffmpeg expression; null: always).
    /// </summary>
    public static string DrawText(IReadOnlyList<CaptionPlacement> placed, string workDir, string? enable = null) =>
        string.Join(",", placed.Select((line, i) =>
        {
            var file = Path.Combine(workDir, $"caption-{i}.txt");
            File.WriteAllText(file, line.Text);
            return $"drawtext=fontfile={Ffmpeg.CaptionFont}:expansion=none:textfile='{file}':fontcolor=white:fontsize={line.FontSize}:"
                   + $"box=1:boxcolor=black@0.6:boxborderw={line.FontSize / 4}:x=(w-text_w)/2:y={line.Top}"
                   + (enable is null ? "" : $":enable='{enable}'");
        }));

    /// <summary>
    /// Where the captions go: the headline (the first) large, wrapped to fit between 5.5 % margins, the benefit lines
    /// smaller under it, as one block in the plain rows above the product (<paramref name="product"/>, in pixels of the
    /// frame), or else below it above the players' controls. Benefit lines are dropped, last first, before the block
    /// covers the product; when not even the headline fits beside it (a busy scene fills the frame), the headline alone
    /// goes on top, on its box.
    /// </summary>
    public static IReadOnlyList<CaptionPlacement> Place(IReadOnlyList<string> captions, int width, int height, (int Top, int Bottom)? product = null)
    {
        var top = (int)(height * 0.06);
        var lowest = (int)(height * 0.88);
        var gap = (int)(height * 0.02);
        if (product is not { } p) return Moved(Block(captions, width, height), top);
        for (var count = captions.Count; count > 0; count--)
        {
            var block = Block(captions.Take(count), width, height);
            // A line's box reaches a quarter of its font size past the glyphs.
            var blockHeight = block[^1].Top + (int)(block[^1].FontSize * 1.5);
            if (top + blockHeight <= p.Top - gap) return Moved(block, top);
            if (lowest - blockHeight >= p.Bottom + gap) return Moved(block, lowest - blockHeight);
        }
        return Moved(Block(captions.Take(1), width, height), top);
    }

    private static List<CaptionPlacement> Moved(List<CaptionPlacement> block, int top) =>
        block.Select(line => line with { Top = line.Top + top }).ToList();

    /// <summary>The lines with their tops counted from the block's first line.</summary>
    private static List<CaptionPlacement> Block(IEnumerable<string> captions, int width, int height)
    {
        // Sizes are set for a 720×1280 frame; a wider one (3:4, 1:1) gets them as large as its height allows, and
        // wraps in its own width.
        var scale = Math.Min(width / 720.0, 1.15 * height / 1280);
        var wrapAt = (int)(width * 0.89 / scale);
        var placements = new List<CaptionPlacement>();
        var top = 0;
        var lines = captions.ToList();
        var headline = CaptionLayout.Fit(lines[0], wrapAt);
        var headlineSize = (int)(headline.FontSize * scale);
        foreach (var line in headline.Lines)
        {
            placements.Add(new CaptionPlacement(line, top, headlineSize));
            top += (int)(headlineSize * 1.45);
        }
        top += (int)(headlineSize * 0.3);
        foreach (var benefit in lines.Skip(1))
        {
            // Benefit lines at most 36 px (in a 720-wide frame): fitted as the headline is, in a frame that much wider.
            var layout = CaptionLayout.Fit(benefit, wrapAt * CaptionLayout.LargestFont / BenefitFont);
            var size = (int)(layout.FontSize * BenefitFont / (double)CaptionLayout.LargestFont * scale);
            foreach (var line in layout.Lines.Take(2))
            {
                placements.Add(new CaptionPlacement(line, top, size));
                top += (int)(size * 1.5);
            }
        }
        return placements;
    }
}
