using System.Diagnostics;
using NeuroCards.Core.Hosting;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>Real media made with the machine's ffmpeg, once per test run.</summary>
public static class TestMedia
{
    // What Seedance 2 returns, in miniature: 9:16, 10 s, H.264 with sound — a file the marketplaces take as it is.
    private static readonly Lazy<Task<string>> SmallVideo = new(() => MakeAsync("result.mp4",
        "-f lavfi -i testsrc2=size=720x1280:rate=30 -f lavfi -i sine=frequency=440 -t 10 -c:v libx264 -preset ultrafast -crf 35 -pix_fmt yuv420p -c:a aac -shortest -movflags +faststart"));

    // The same in the card's frame (3:4, 810×1080, 9 s): a UGC clip that needs no formatting before it goes on a card.
    private static readonly Lazy<Task<string>> CardVideo = new(() => MakeAsync("card-result.mp4",
        "-f lavfi -i testsrc2=size=810x1080:rate=25 -f lavfi -i sine=frequency=330 -t 9 -c:v libx264 -preset ultrafast -crf 36 -pix_fmt yuv420p -c:a aac -shortest -movflags +faststart"));

    private static readonly Lazy<Task<string>> Photo = new(() => MakeAsync("photo.jpg",
        "-f lavfi -i testsrc2=size=960x1280 -frames:v 1 -q:v 4"));

    public static Task<string> ResultVideoAsync() => SmallVideo.Value;

    /// <summary>Made once per run: two test classes asking at once get the same finished file, never one half written.</summary>
    public static Task<string> CardResultVideoAsync() => CardVideo.Value;

    public static async Task<byte[]> PhotoAsync() => await File.ReadAllBytesAsync(await Photo.Value);

    public static async Task<string> MakeAsync(string name, string ffmpegArgs)
    {
        var dir = Path.Combine(Path.GetTempPath(), "nc-test-media");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{Environment.ProcessId}-{name}");
        if (File.Exists(path)) return path;
        var made = await RunAsync("ffmpeg", $"-hide_banner -loglevel error -y {ffmpegArgs} {path}");
        if (!made.Succeeded) throw new InvalidOperationException("ffmpeg: " + made.Error);
        return path;
    }

    public static async Task<(double Duration, int Width, int Height, string Codec)> ProbeAsync(string path)
    {
        var probe = await RunAsync("ffprobe", $"-v error -select_streams v:0 -show_entries stream=width,height,codec_name:format=duration -of default=nw=1 {path}");
        var lines = probe.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        return (double.Parse(lines["duration"], System.Globalization.CultureInfo.InvariantCulture), int.Parse(lines["width"]), int.Parse(lines["height"]), lines["codec_name"]);
    }

    // Shared with the chaos run, which has no xunit: the code's own runner, directly.
    private static Task<ToolResult> RunAsync(string tool, string args) =>
        ToolRunner.RunAsync(tool, args.Split(' ', StringSplitOptions.RemoveEmptyEntries), TimeSpan.FromMinutes(5), CancellationToken.None);
}
