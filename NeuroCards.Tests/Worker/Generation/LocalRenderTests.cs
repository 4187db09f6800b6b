using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Worker.Generation.Local;
using NeuroCards.Worker.Media;

namespace NeuroCards.Tests.Worker.Generation;

/// <summary>
/// The offline render as a seller sees it, read from the pixels of its frames: the whole product in frame (a 3:4
/// photo is padded, not cropped) below a plain top third, where the formatter draws the captions (it draws no text of
/// its own), and the videos of one order different from each other, with sound.
/// </summary>
public sealed class LocalRenderTests : IAsyncLifetime
{
    private const int Width = 720, Height = 1280;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nc-render-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Ffmpeg _ffmpeg = new(NullLogger<Ffmpeg>.Instance);
    private string _photo = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        // A 3:4 product photo with a red stripe on its left edge and a green one on its right: cropping to 9:16 would cut both.
        _photo = Path.Combine(_dir, "mug.jpg");
        await FfmpegAsync("-f lavfi -i color=c=0xf4efe6:s=900x1200 -vf "
            + "drawbox=x=0:y=0:w=40:h=1200:color=0xff0000:t=fill,drawbox=x=860:y=0:w=40:h=1200:color=0x00ff00:t=fill,"
            + "drawbox=x=250:y=350:w=400:h=500:color=0x2a6fb0:t=fill -frames:v 1 -q:v 2 " + _photo);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task<string> RenderAsync(int variant)
    {
        var output = Path.Combine(_dir, $"video-{variant}.mp4");
        await _ffmpeg.RenderSlideshowAsync(_photo, LocalRenderStyle.For(variant), output, 10, CancellationToken.None);
        return output;
    }

    [Fact]
    public async Task The_whole_product_stays_in_frame_below_a_plain_top_third_left_for_the_captions()
    {
        var video = await RenderAsync(0);

        foreach (var second in new[] { 0.0, 5.0, 9.8 })
        {
            var frame = await FrameAsync(video, second);
            // Both edges of the photo are visible, all video long: padded, not cropped.
            var red = Pixels(frame, (r, g, b) => r > 170 && g < 90 && b < 90).ToList();
            var green = Pixels(frame, (r, g, b) => g > 170 && r < 100 && b < 100).ToList();
            Assert.True(red.Count > 2000, $"the left edge of the product is cut off at {second} s");
            Assert.True(green.Count > 2000, $"the right edge of the product is cut off at {second} s");
            Assert.True(red.Concat(green).Min(p => p.Y) > Height / 3, $"the product reaches into the top third at {second} s");
        }
        // What the formatter finds there: nothing with an edge above the product, room for the headline.
        var product = ProductRows.From(await _ffmpeg.DetailRowsAsync(video, await _ffmpeg.ProbeAsync(video, CancellationToken.None), 8, _dir, CancellationToken.None));
        Assert.NotNull(product);
        Assert.InRange(product.Top, 0.33, 0.45);
    }

    [Fact]
    public async Task The_videos_of_one_order_differ_in_picture_and_each_has_a_music_bed()
    {
        var videos = new List<string>();
        foreach (var variant in new[] { 0, 1, 2 }) videos.Add(await RenderAsync(variant));

        Assert.Equal(3, videos.Select(v => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(v)))).Distinct().Count());
        var frames = new List<byte[]>();
        foreach (var video in videos) frames.Add(await FrameAsync(video, 5));
        // Kept to look at: the middle frame of each video.
        for (var i = 0; i < videos.Count; i++)
            await FfmpegAsync($"-ss 5 -i {videos[i]} -frames:v 1 {Path.Combine(Chromium.ArtefactDir(), $"offline-video-{i + 1}.png")}");
        for (var i = 0; i < frames.Count; i++)
            for (var j = i + 1; j < frames.Count; j++)
                Assert.True(MeanDifference(frames[i], frames[j]) > 4, $"videos {i + 1} and {j + 1} look the same");

        foreach (var video in videos)
        {
            var volume = await MeanVolumeAsync(video);
            Assert.InRange(volume, -40, -8); // audible, and soft enough to sit under a voice
        }
    }

    [Fact]
    public async Task A_render_that_runs_past_its_time_limit_is_stopped_with_a_timeout_instead_of_spinning()
    {
        var hurried = new Ffmpeg(NullLogger<Ffmpeg>.Instance, new FfmpegLimits() with { Render = TimeSpan.FromMilliseconds(300) });
        var output = Path.Combine(_dir, "hurried.mp4");
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            hurried.RenderSlideshowAsync(_photo, LocalRenderStyle.For(0), output, 10, CancellationToken.None));

        Assert.Contains("longer than", error.Message);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), "the limit did not stop ffmpeg");
    }

    [Fact]
    public async Task The_offline_provider_reports_a_render_past_its_limit_as_a_timeout_and_a_broken_photo_as_a_bad_request()
    {
        await using var storage = await NeuroCards.Tests.Core.Storage.StorageBackend.StartAsync(NeuroCards.Core.Storage.StorageProvider.Local);
        await storage.Store.PutAsync("inputs/mug.jpg", File.OpenRead(_photo), "image/jpeg");
        var broken = new byte[4096];
        new Random(3).NextBytes(broken);
        broken[0] = 0xFF; broken[1] = 0xD8; broken[2] = 0xFF;
        await storage.Store.PutAsync("inputs/broken.jpg", new MemoryStream(broken), "image/jpeg");
        var slowFfmpeg = new Ffmpeg(NullLogger<Ffmpeg>.Instance, new FfmpegLimits() with { Render = TimeSpan.FromMilliseconds(300) });
        var speech = new SpeechSynthesizer(Microsoft.Extensions.Options.Options.Create(new NeuroCards.Worker.Prompting.OpenAiOptions()),
            NullLogger<SpeechSynthesizer>.Instance);
        var hurried = new LocalVideoProvider(storage.Store, slowFfmpeg, new VoiceOver(slowFfmpeg, speech), NullLogger<LocalVideoProvider>.Instance);
        NeuroCards.Core.Generation.RenderRequest Request(string key) =>
            new(Guid.NewGuid(), "seedance-2", "prompt", new Uri("http://127.0.0.1/unused"), key, null);

        var slow = Assert.IsType<NeuroCards.Core.Generation.CreateResult.Failed>(await hurried.CreateAsync(Request("inputs/mug.jpg"), CancellationToken.None));
        var bad = Assert.IsType<NeuroCards.Core.Generation.CreateResult.Failed>(await hurried.CreateAsync(Request("inputs/broken.jpg"), CancellationToken.None));

        Assert.Equal(NeuroCards.Core.Queue.FailureClass.Timeout, slow.FailureClass);
        Assert.Equal(NeuroCards.Core.Queue.FailureClass.BadRequest, bad.FailureClass);
        // What the seller then reads: the video ran out of time, or the photo could not be read — never "overloaded".
        var texts = NeuroCards.Core.Texts.TextCatalog.Load();
        Assert.Contains("не успело", texts.Get("ru", "worker.fail.timeout"));
        Assert.Contains("не смогла прочитать фото", texts.Get("ru", "worker.fail.bad_request"));
    }

    private static IEnumerable<(int X, int Y)> Pixels(byte[] frame, Func<byte, byte, byte, bool> match)
    {
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
            {
                var i = (y * Width + x) * 3;
                if (match(frame[i], frame[i + 1], frame[i + 2])) yield return (x, y);
            }
    }

    private static double MeanDifference(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return (double)sum / a.Length;
    }

    private async Task<byte[]> FrameAsync(string video, double second)
    {
        var raw = Path.Combine(_dir, $"frame-{Guid.NewGuid():N}.rgb");
        await FfmpegAsync($"-ss {second.ToString(System.Globalization.CultureInfo.InvariantCulture)} -i {video} -frames:v 1 -f rawvideo -pix_fmt rgb24 {raw}");
        var bytes = await File.ReadAllBytesAsync(raw);
        Assert.Equal(Width * Height * 3, bytes.Length);
        return bytes;
    }

    private static async Task<double> MeanVolumeAsync(string video)
    {
        var output = await FfmpegAsync($"-i {video} -vn -af volumedetect -f null -");
        var line = output.Split('\n').Single(l => l.Contains("mean_volume:"));
        return double.Parse(line[(line.IndexOf(':') + 1)..].Replace("dB", "").Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<string> FfmpegAsync(string args) => Tools.FfmpegAsync(args);
}
