using NeuroCards.Core.Hosting;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>Tools the tests run (ffmpeg, ffprobe, the published scripts), through the code's own <see cref="ToolRunner"/>.</summary>
public static class Tools
{
    /// <summary><paramref name="args"/> separated by spaces (no argument of a test holds one).</summary>
    public static Task<ToolResult> RunAsync(string tool, string args, IReadOnlyDictionary<string, string?>? environment = null) =>
        ToolRunner.RunAsync(tool, args.Split(' ', StringSplitOptions.RemoveEmptyEntries), TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken,
            environment: environment);

    /// <summary>ffmpeg that must succeed; returns what it wrote to stderr (where its filters report).</summary>
    public static async Task<string> FfmpegAsync(string args)
    {
        var result = await RunAsync("ffmpeg", "-hide_banner -y " + args);
        if (!result.Succeeded) throw new InvalidOperationException("ffmpeg: " + result.Error);
        return result.Error;
    }
}
