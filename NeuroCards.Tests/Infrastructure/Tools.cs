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

    /// <summary>A file's loudness as EBU R128 has it (ffmpeg's ebur128): integrated LUFS and true peak in dBTP.</summary>
    public static async Task<(double Integrated, double TruePeak)> LoudnessAsync(string file)
    {
        var output = await FfmpegAsync($"-nostats -i {file} -vn -af ebur128=peak=true -f null -");
        var summary = output[output.LastIndexOf("Summary:", StringComparison.Ordinal)..];
        return (Number(summary, @"I:\s+(-?[\d.]+) LUFS"), Number(summary, @"Peak:\s+(-?[\d.]+) dBFS"));
    }

    /// <summary>The mean level, in dB, of a video's sound in the voice band (300–3400 Hz) over <paramref name="seconds"/> from <paramref name="from"/>.</summary>
    public static async Task<double> VoiceBandVolumeAsync(string video, double from, double seconds)
    {
        var output = await FfmpegAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"-ss {from:0.###} -t {seconds:0.###} -i {video} -vn -af highpass=f=300,lowpass=f=3400,volumedetect -f null -"));
        return Number(output, @"mean_volume: (-?[\d.]+) dB");
    }

    /// <summary>The number the first group of <paramref name="pattern"/> finds in what a tool printed; a test failure when it is not there.</summary>
    public static double Number(string text, string pattern)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, pattern);
        Assert.True(match.Success, $"the tool did not print {pattern}: {text[^Math.Min(text.Length, 800)..]}");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
