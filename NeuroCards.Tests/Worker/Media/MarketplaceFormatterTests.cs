using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Worker.Media;

namespace NeuroCards.Tests.Worker.Media;

/// <summary>
/// The marketplace formatter on real ffmpeg, checked the way a marketplace would: ffprobe on the file it writes, and the
/// pixels of its frames.
/// </summary>
[RunsLong(70)]
public sealed class MarketplaceFormatterTests : IAsyncLifetime
{
    private static readonly string[] Captions = ["Кружка «Морской бриз»", "Держит тепло 6 часов", "Можно в посудомойку"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nc-format-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Ffmpeg _ffmpeg = new(NullLogger<Ffmpeg>.Instance);
    private MarketplaceFormatter _formatter = null!;
    private string _shortClip = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _formatter = new MarketplaceFormatter(_ffmpeg, NullLogger<MarketplaceFormatter>.Instance);
        // A 4 s portrait clip with sound, on a flat grey backdrop: shorter than Ozon's 8 s, and plain behind the captions.
        _shortClip = Path.Combine(_dir, "short.mp4");
        await FfmpegAsync("-f lavfi -i color=c=0x808080:s=720x1280:r=30 -f lavfi -i sine=frequency=330 -t 4 "
            + "-vf drawbox=x=260:y=500:w=200:h=300:color=0x2a6fb0:t=fill -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest " + _shortClip);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_short_clip_comes_out_in_the_frame_at_least_8_s_long_with_its_sound_and_passes_the_marketplace_check()
    {
        // Every format with and without captions is checked on delivered files (MarketplaceOrderTests); here the extension.
        var output = await FormatAsync(VideoFormat.Card, Captions);

        var info = await _ffmpeg.ProbeAsync(output, CancellationToken.None);
        Assert.Empty(MarketplaceCheck.Problems(info.Facts));
        Assert.Equal((810, 1080), (info.Width, info.Height));
        Assert.InRange(info.DurationSeconds, 8, 10);
        Assert.True(info.HasAudio);
        Assert.Equal(["Wildberries", "Ozon"], MarketplaceCheck.Fits(info.Facts));
    }

    [Fact]
    public async Task A_clip_in_another_frame_is_padded_over_its_own_blur_never_cropped()
    {
        // A square frame from a portrait clip: the whole clip stays visible (its blue product and its full height).
        var output = await FormatAsync(VideoFormat.Square, []);
        var frame = await FrameAsync(output, 2, 1080, 1080);

        var blue = Count(frame, 1080, 1080, (r, g, b) => b > 140 && r < 90 && g < 150);
        // The 200×300 product of the 720×1280 clip, scaled by 1080/1280.
        Assert.InRange(blue, 0.8 * 200 * 300 * 0.71, 1.2 * 200 * 300 * 0.71);
    }

    [Theory]
    [InlineData("Кружка «Морской бриз»")]
    [InlineData("Футболка 100% хлопок")]
    [InlineData(@"Набор 2\3 — 50%{x}")]
    public async Task The_russian_headline_is_drawn_as_written_in_the_first_8_s_and_gone_after(string title)
    {
        string[] captions = [title, .. Captions[1..]];
        var output = await FormatAsync(VideoFormat.Card, captions);
        var headline = MarketplaceFormatter.Place(captions, 810, 1080)[0];
        var rows = (headline.Top - 4, headline.Top + (int)(headline.FontSize * 1.3));

        var during = TextMask(await FrameAsync(output, 2, 810, 1080), 810, rows);
        var after = TextMask(await FrameAsync(output, 9, 810, 1080), 810, rows);
        var expected = TextMask(await TextAloneAsync(headline, 810, 1080), 810, rows);
        var other = TextMask(await TextAloneAsync(headline with { Text = "Mug Sea Breeze 350" }, 810, 1080), 810, rows);

        // The frame's white pixels in the headline's rows are the headline's own glyphs, drawn in Cyrillic…
        Assert.True(Overlap(during, expected) > 0.5, $"the headline is not in the frame (overlap {Overlap(during, expected):0.00})");
        Assert.True(Overlap(during, other) < 0.3, "the frame matches any text as well as the headline");
        Assert.True(expected.Count(b => b) > 1500, "the headline is not large");
        // …and only in the first 8 s: Ozon's muted cover.
        Assert.True(Overlap(after, expected) < 0.1, "the headline is still there after 8 s");
    }

    [Theory]
    [InlineData(100, "below")]
    [InlineData(700, "above")]
    public async Task The_captions_go_in_the_plain_rows_beside_the_product_never_over_it(int productTop, string side)
    {
        // A product 500 px tall at productTop in a 720×1280 clip, delivered as a 3:4 card (rows scale by 1080/1280).
        var clip = Path.Combine(_dir, $"product-{productTop}.mp4");
        await FfmpegAsync($"-f lavfi -i color=c=0x808080:s=720x1280:r=30 -t 9 -vf drawbox=x=210:y={productTop}:w=300:h=500:color=0x2a6fb0:t=fill "
            + "-c:v libx264 -preset ultrafast -pix_fmt yuv420p " + clip);
        var output = Path.Combine(_dir, $"card-{productTop}.mp4");
        Assert.True(await _formatter.FormatAsync(clip, output, VideoFormat.Card, Captions, _dir, CancellationToken.None));

        static bool Blue(byte r, byte g, byte b) => b > 140 && r < 90 && g < 150;
        var during = await FrameAsync(output, 2, 810, 1080);
        var after = Count(await FrameAsync(output, 8.5, 810, 1080), 810, 1080, Blue);
        // Every pixel of the product shows while the captions are up, as it does once they are gone…
        Assert.InRange(Count(during, 810, 1080, Blue), 0.98 * after, 1.02 * after);
        // …and the captions are there, on the product's plain side: all three of them.
        var white = Rows(during, 810, 1080, (r, g, b) => r > 170 && g > 170 && b > 170).ToList();
        var product = (Top: productTop * 1080 / 1280, Bottom: (productTop + 500) * 1080 / 1280);
        Assert.True(white.Count > 3000, "no captions");
        Assert.All(white, y => Assert.True(side == "above" ? y < product.Top : y > product.Bottom, $"a caption at row {y}, the product is at {product}"));
        Assert.Equal(4, MarketplaceFormatter.Place(Captions, 810, 1080, product).Count); // the headline's two lines and both benefits
    }

    [Fact]
    public void Where_only_the_headline_fits_beside_the_product_the_benefit_lines_give_way()
    {
        var placed = MarketplaceFormatter.Place(Captions, 810, 1080, (300, 1000));

        Assert.Equal(["Кружка «Морской", "бриз»"], placed.Select(l => l.Text));
        Assert.True(placed[^1].Top + placed[^1].FontSize * 1.3 < 300, "the headline runs into the product");
        // Nowhere beside it (a busy scene fills the frame): the headline alone on top, on its box.
        Assert.Equal(["Кружка «Морской", "бриз»"], MarketplaceFormatter.Place(Captions, 810, 1080, (60, 1040)).Select(l => l.Text));
    }

    [Fact]
    public void A_long_caption_gets_more_lines_and_a_smaller_font_a_short_one_stays_large()
    {
        const string longName = "Кружка керамическая «Морской бриз» ручной работы, 350 мл";
        var shortName = CaptionLayout.Fit("Кружка", 640);
        var wrapped = CaptionLayout.Fit(longName, 640);
        var endless = CaptionLayout.Fit(string.Join(' ', Enumerable.Repeat("Очень длинное название", 12)), 640);

        Assert.Equal(["Кружка"], shortName.Lines);
        Assert.Equal(CaptionLayout.LargestFont, shortName.FontSize);
        Assert.InRange(wrapped.Lines.Count, 2, CaptionLayout.MaxLines);
        Assert.Equal(longName, string.Join(' ', wrapped.Lines)); // every word kept
        Assert.Equal(CaptionLayout.MaxLines, endless.Lines.Count);
        Assert.EndsWith("…", endless.Lines[^1]);
    }

    [Fact]
    public async Task A_file_that_already_passes_and_wants_no_captions_is_left_as_it_is()
    {
        var passing = await TestMedia.ResultVideoAsync();

        Assert.False(await _formatter.FormatAsync(passing, Path.Combine(_dir, "unused.mp4"), VideoFormat.Vertical, [], _dir, CancellationToken.None));
        Assert.True(await _formatter.FormatAsync(passing, Path.Combine(_dir, "card.mp4"), VideoFormat.Card, [], _dir, CancellationToken.None));
    }

    private async Task<string> FormatAsync(VideoFormat format, IReadOnlyList<string> captions)
    {
        var output = Path.Combine(_dir, $"{format}-{captions.Count}-{Guid.NewGuid():N}.mp4");
        Assert.True(await _formatter.FormatAsync(_shortClip, output, format, captions, _dir, CancellationToken.None));
        return output;
    }

    /// <summary>The line drawn alone, white on black, where and as large as the formatter draws it.</summary>
    private async Task<byte[]> TextAloneAsync(CaptionPlacement line, int width, int height)
    {
        var text = Path.Combine(_dir, $"text-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(text, line.Text);
        var raw = Path.Combine(_dir, $"text-{Guid.NewGuid():N}.rgb");
        await FfmpegAsync($"-f lavfi -i color=c=black:s={width}x{height} -vf drawtext=fontfile={Ffmpeg.CaptionFont}:expansion=none:textfile='{text}':"
            + $"fontcolor=white:fontsize={line.FontSize}:x=(w-text_w)/2:y={line.Top} -frames:v 1 -f rawvideo -pix_fmt rgb24 {raw}");
        return await File.ReadAllBytesAsync(raw);
    }

    private async Task<byte[]> FrameAsync(string video, double second, int width, int height)
    {
        var raw = Path.Combine(_dir, $"frame-{Guid.NewGuid():N}.rgb");
        await FfmpegAsync($"-ss {second.ToString(CultureInfo.InvariantCulture)} -i {video} -frames:v 1 -f rawvideo -pix_fmt rgb24 {raw}");
        var frame = await File.ReadAllBytesAsync(raw);
        Assert.Equal(width * height * 3, frame.Length);
        return frame;
    }

    private static bool[] TextMask(byte[] frame, int width, (int From, int To) rows)
    {
        var mask = new bool[(rows.To - rows.From) * width];
        for (var y = rows.From; y < rows.To; y++)
            for (var x = 0; x < width; x++)
            {
                var i = (y * width + x) * 3;
                mask[(y - rows.From) * width + x] = frame[i] > 170 && frame[i + 1] > 170 && frame[i + 2] > 170;
            }
        return mask;
    }

    /// <summary>Intersection over union of two masks.</summary>
    private static double Overlap(bool[] a, bool[] b)
    {
        int both = 0, either = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] && b[i]) both++;
            if (a[i] || b[i]) either++;
        }
        return either == 0 ? 0 : (double)both / either;
    }

    private static IEnumerable<int> Rows(byte[] frame, int width, int height, Func<byte, byte, byte, bool> match)
    {
        for (var i = 0; i < width * height * 3; i += 3) if (match(frame[i], frame[i + 1], frame[i + 2])) yield return i / 3 / width;
    }

    private static int Count(byte[] frame, int width, int height, Func<byte, byte, byte, bool> match)
    {
        var n = 0;
        for (var i = 0; i < width * height * 3; i += 3) if (match(frame[i], frame[i + 1], frame[i + 2])) n++;
        return n;
    }

    private static Task FfmpegAsync(string args) => Tools.FfmpegAsync("-loglevel error " + args);
}
