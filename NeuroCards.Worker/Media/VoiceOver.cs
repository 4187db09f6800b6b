using System.Text.RegularExpressions;
using NeuroCards.Core.Hosting;

namespace NeuroCards.Worker.Media;

/// <summary>
/// A Russian voice reading a video's lines over its music, for the offline render, which has no voice of its own (KIE's
/// models speak the voice-over their prompt asks for): espeak-ng's Russian voice from Debian — robotic, but a real voice
/// track. Whole lines are read while they fit the clip at a natural pace; the music is ducked under the voice and the
/// mix brought to -16 LUFS (<see cref="Ffmpeg.MixVoiceAsync"/>).
/// </summary>
public sealed partial class VoiceOver(Ffmpeg ffmpeg, ILogger<VoiceOver> logger)
{
    /// <summary>When the voice starts, in seconds: after the first frame has been seen.</summary>
    public const double Start = 0.6;

    // espeak-ng's Russian at its default 175 words a minute reads about two of our words a second (they are long).
    private const double WordsPerSecond = 2.0;

    /// <summary>Writes the video with the voice to <paramref name="output"/>; false when there is nothing to read or no voice here.</summary>
    public async Task<bool> AddAsync(string video, IReadOnlyList<string> lines, string output, string workDir, CancellationToken cancellationToken)
    {
        var info = await ffmpeg.ProbeAsync(video, cancellationToken);
        var script = Script(lines, info.DurationSeconds - Start - 0.8);
        if (script.Length == 0 || !info.HasAudio) return false;
        var text = Path.Combine(workDir, "voice.txt");
        var voice = Path.Combine(workDir, "voice.wav");
        await File.WriteAllTextAsync(text, script, cancellationToken);
        ToolResult spoken;
        try
        {
            spoken = await ToolRunner.RunAsync("espeak-ng", ["-v", "ru", "-f", text, "-w", voice], TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (ToolMissingException)
        {
            logger.LogWarning("espeak-ng is not installed: the offline video goes without a voice (scripts/setup.sh installs it)");
            return false;
        }
        if (!spoken.Succeeded) throw new InvalidOperationException($"espeak-ng failed ({spoken.ExitCode}): {spoken.Error.Trim()}");
        await ffmpeg.MixVoiceAsync(video, voice, Start, output, cancellationToken);
        return true;
    }

    /// <summary>
    /// What is read: whole lines, in order, while they fit <paramref name="seconds"/>, each ending as a sentence. Stress
    /// marks (U+0301) are for engines that read them; espeak-ng would spell them, so they go.
    /// </summary>
    public static string Script(IReadOnlyList<string> lines, double seconds)
    {
        var kept = new List<string>();
        var words = 0;
        foreach (var line in lines.Select(l => l.Replace("\u0301", "").Trim().TrimEnd('.', '!', '…', ',', ';', ':')).Where(l => l.Length > 0))
        {
            var count = Word().Count(line);
            if ((words + count) / WordsPerSecond > seconds) break;
            kept.Add(line + ".");
            words += count;
        }
        return string.Join(' ', kept);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
