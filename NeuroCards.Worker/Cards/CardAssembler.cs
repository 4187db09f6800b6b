using System.Globalization;
using NeuroCards.Core.Cards;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Worker.Generation.Local;
using NeuroCards.Worker.Media;
using NeuroCards.Worker.Storyboards;

namespace NeuroCards.Worker.Cards;

/// <summary>
/// The card video from its scene clips in one video pass: each clip cut to its scene's length in the order's frame
/// (reframed over a blurred copy of itself when its shape differs), joined with short crossfades; each scene's voice line
/// spoken and placed at its scene's start (sped up a little when it would run into the next scene); the music bed ducked
/// under the voice; the mix brought to -16 LUFS with true peak under -1 dBTP (measured first, audio only); the headline
/// alone in the first 8 s, then each scene's caption while its scene plays, placed beside the product.
/// </summary>
public sealed class CardAssembler(Ffmpeg ffmpeg, SpeechSynthesizer speech, ILogger<CardAssembler> logger)
{
    /// <summary>The crossfade between scenes; every scene but the last is cut this much longer, so the video keeps the storyboard's length.</summary>
    public const double Fade = 0.5;

    /// <summary>Where a scene's voice starts after its scene does: once its first frame is seen.</summary>
    public const double VoiceLead = 0.3;

    /// <summary>When each scene starts, in seconds of the finished video.</summary>
    public static double[] Starts(Storyboard storyboard)
    {
        var starts = new double[storyboard.Scenes.Count];
        for (var i = 1; i < starts.Length; i++) starts[i] = starts[i - 1] + storyboard.Scenes[i - 1].Seconds;
        return starts;
    }

    /// <param name="spoken">Each scene's voice line already spoken (a WAV per scene); null: spoken here in <paramref name="voice"/>.</param>
    public async Task AssembleAsync(IReadOnlyList<string> clips, Storyboard storyboard, VideoFormat format, string output, string workDir,
        CancellationToken cancellationToken, CardVoice? voice = null, IReadOnlyList<string>? spoken = null)
    {
        var scenes = storyboard.Scenes;
        if (clips.Count != scenes.Count) throw new ArgumentException("one clip per scene", nameof(clips));
        var (width, height) = MarketplaceFormatter.FrameOf(format);
        var starts = Starts(storyboard);
        var total = storyboard.Seconds;
        string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

        var inputs = new List<string>();
        foreach (var clip in clips) inputs.AddRange(["-i", clip]);
        var bed = clips.Count;
        inputs.AddRange(["-f", "lavfi", "-i", LocalRenderStyle.For(0).Music((int)Math.Ceiling(total))]);

        // The voice: one line per scene, each fitted into its scene.
        var voices = new List<string>();
        for (var i = 0; i < scenes.Count; i++)
        {
            string wav;
            if (spoken is { } made && made.Count == scenes.Count)
            {
                wav = made[i];
            }
            else
            {
                wav = Path.Combine(workDir, $"voice-{i + 1}.wav");
                if (!await speech.SpeakAsync(scenes[i].Voice, wav, cancellationToken, voice)) break;
            }
            var length = (await ffmpeg.ProbeAsync(wav, cancellationToken)).DurationSeconds;
            var room = scenes[i].Seconds - VoiceLead - 0.2;
            var tempo = Math.Clamp(length / room, 1, 1.4);
            inputs.AddRange(["-i", wav]);
            voices.Add($"[{bed + 1 + i}:a]aformat=sample_rates=48000:channel_layouts=stereo,atempo={F(tempo)},"
                       + $"acompressor=threshold=0.1:ratio=3:attack=5:release=100,adelay={(int)((starts[i] + VoiceLead) * 1000)}:all=1[v{i}]");
        }
        if (voices.Count < scenes.Count) voices.Clear();

        var audio = $"[{bed}:a]aformat=sample_rates=48000:channel_layouts=stereo,volume=-10dB,apad,atrim=duration={F(total)}";
        if (voices.Count > 0)
        {
            audio = string.Join(";", voices) + ";"
                    + string.Concat(Enumerable.Range(0, voices.Count).Select(i => $"[v{i}]"))
                    + $"amix=inputs={voices.Count}:duration=longest:normalize=0,apad,asplit=2[key][voice];"
                    + audio + "[bed];[bed][key]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=300[ducked];"
                    + "[ducked][voice]amix=inputs=2:duration=first:normalize=0";
        }
        var level = await ffmpeg.LevelToTargetAsync(inputs, audio, cancellationToken);

        // The picture: each clip to its scene's length (a short clip holds its last frame), then crossfades.
        var video = new List<string>();
        MediaInfo? first = null;
        for (var i = 0; i < clips.Count; i++)
        {
            var info = await ffmpeg.ProbeAsync(clips[i], cancellationToken);
            first ??= info;
            var length = scenes[i].Seconds + (i < clips.Count - 1 ? Fade : 0);
            var fit = MarketplaceFormatter.HasShape(info, format) ? $"scale={width}:{height},setsar=1" : MarketplaceFormatter.OverBlur(width, height, i.ToString(CultureInfo.InvariantCulture));
            video.Add($"[{i}:v]fps=30,{fit},tpad=stop_mode=clone:stop_duration={F(length)},trim=duration={F(length)},setpts=PTS-STARTPTS,format=yuv420p[s{i}]");
        }
        var last = "s0";
        for (var i = 1; i < clips.Count; i++)
        {
            video.Add($"[{last}][s{i}]xfade=transition=fade:duration={F(Fade)}:offset={F(starts[i])}[x{i}]");
            last = $"x{i}";
        }

        // The captions beside the product, where the first clip shows it: the headline alone for 8 s, then each scene's own.
        var product = ProductRows.From(await ffmpeg.DetailRowsAsync(clips[0], first!, Math.Min(scenes[0].Seconds, MarketplaceFormatter.CaptionSeconds),
            workDir, cancellationToken))?.In(width, height, first!.Width, first.Height);
        var captions = new List<string>();
        var headlineEnd = Math.Min(MarketplaceFormatter.CaptionSeconds, total);
        captions.Add(Caption(storyboard.Headline, 0, headlineEnd, "headline"));
        for (var i = 0; i < scenes.Count; i++)
        {
            var from = Math.Max(starts[i] + Fade, headlineEnd);
            var to = i + 1 < scenes.Count ? starts[i + 1] : total;
            if (scenes[i].Caption.Length > 0 && to - from >= 1) captions.Add(Caption(scenes[i].Caption, from, to, $"scene-{i + 1}"));
        }
        video.Add($"[{last}]{string.Join(",", captions)}[v]");

        string Caption(string text, double from, double to, string name)
        {
            var dir = Path.Combine(workDir, "captions-" + name);
            Directory.CreateDirectory(dir);
            return MarketplaceFormatter.DrawText(MarketplaceFormatter.Place([text], width, height, product), dir, $"between(t,{F(from)},{F(to)})");
        }

        await ffmpeg.TranscodeAsync([.. inputs, "-filter_complex", string.Join(";", video) + ";" + audio + level,
            "-map", "[v]", "-map", "[a]", "-t", F(total), "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-maxrate", "6M", "-bufsize", "12M",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "mp4", output], cancellationToken);
        logger.LogInformation("Card video assembled: {Scenes} scenes, {Seconds:0.#} s, {Width}x{Height}, {Voice}", scenes.Count, total, width, height,
            voices.Count > 0 ? "with a voice" : "without a voice");
    }
}
