using System.Text.RegularExpressions;

namespace NeuroCards.Worker.Media;

/// <summary>
/// A Russian voice reading a video's lines over its music, for the offline render, which has no voice of its own (KIE's
/// models speak the voice-over their prompt asks for): OpenAI's speech, or espeak-ng's offline voice
/// (<see cref="SpeechSynthesizer"/>). Whole lines are read while they fit the clip at a natural pace; the music is
/// ducked under the voice and the mix brought to -16 LUFS (<see cref="Ffmpeg.MixVoiceAsync"/>).
/// </summary>
public sealed partial class VoiceOver(Ffmpeg ffmpeg, SpeechSynthesizer speech)
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
        var voice = Path.Combine(workDir, "voice.wav");
        if (!await speech.SpeakAsync(script, voice, cancellationToken)) return false;
        await ffmpeg.MixVoiceAsync(video, voice, Start, output, cancellationToken);
        return true;
    }

    /// <summary>
    /// What is read: whole lines, in order, while they fit <paramref name="seconds"/> at espeak-ng's pace (the slower
    /// engine), each ending as a sentence. Stress marks (U+0301) stay for the engine that reads them.
    /// </summary>
    public static string Script(IReadOnlyList<string> lines, double seconds)
    {
        var kept = new List<string>();
        var words = 0;
        foreach (var line in lines.Select(l => l.Trim().TrimEnd('.', '!', '…', ',', ';', ':')).Where(l => l.Length > 0))
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
