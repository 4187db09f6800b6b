using System.Globalization;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Worker.Cards;
using NeuroCards.Worker.Generation.Local;
using NeuroCards.Worker.Media;
using NeuroCards.Worker.Storyboards;

namespace NeuroCards.AssemblyBench;

/// <summary>
/// The same card video made the way a first version would: one ffmpeg run per step, each writing a file the next reads —
/// every scene cut and framed, the scenes joined, the captions drawn, the voice track built, the music mixed under it,
/// the loudness measured and applied, then the picture and sound put together. Seven video encodes where
/// <see cref="CardAssembler"/> has one.
/// </summary>
internal sealed class NaiveAssembly(Ffmpeg ffmpeg, SpeechSynthesizer speech)
{
    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static readonly string[] Encode = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"];

    public async Task AssembleAsync(IReadOnlyList<string> clips, Storyboard storyboard, VideoFormat format, string output, string workDir,
        CancellationToken cancellationToken)
    {
        var (width, height) = MarketplaceFormatter.FrameOf(format);
        var starts = CardAssembler.Starts(storyboard);
        var total = storyboard.Seconds;
        var scenes = storyboard.Scenes;

        // 1. Each scene cut and framed, on its own.
        var cut = new List<string>();
        for (var i = 0; i < clips.Count; i++)
        {
            var length = scenes[i].Seconds + (i < clips.Count - 1 ? CardAssembler.Fade : 0);
            var file = Path.Combine(workDir, $"cut-{i}.mp4");
            await ffmpeg.TranscodeAsync(["-i", clips[i], "-vf", $"fps=30,scale={width}:{height},setsar=1,tpad=stop_mode=clone:stop_duration={F(length)}",
                "-t", F(length), "-an", .. Encode, file], cancellationToken);
            cut.Add(file);
        }

        // 2. Joined with crossfades.
        var joined = Path.Combine(workDir, "joined.mp4");
        var chain = new List<string>();
        var last = "0:v";
        for (var i = 1; i < cut.Count; i++)
        {
            chain.Add($"[{last}][{i}:v]xfade=transition=fade:duration={F(CardAssembler.Fade)}:offset={F(starts[i])}[x{i}]");
            last = $"x{i}";
        }
        await ffmpeg.TranscodeAsync([.. cut.SelectMany(c => new[] { "-i", c }), "-filter_complex", string.Join(";", chain), "-map", $"[{last}]",
            .. Encode, joined], cancellationToken);

        // 3. The captions drawn, beside the product as found in the joined video.
        var info = await ffmpeg.ProbeAsync(joined, cancellationToken);
        var product = ProductRows.From(await ffmpeg.DetailRowsAsync(joined, info, MarketplaceFormatter.CaptionSeconds, workDir, cancellationToken))
            ?.In(width, height, info.Width, info.Height);
        var draw = new List<string>();
        for (var i = -1; i < scenes.Count; i++)
        {
            var (text, from, to) = i < 0 ? (storyboard.Headline, 0.0, MarketplaceFormatter.CaptionSeconds)
                : (scenes[i].Caption, Math.Max(starts[i] + CardAssembler.Fade, MarketplaceFormatter.CaptionSeconds), i + 1 < scenes.Count ? starts[i + 1] : total);
            if (text.Length == 0 || to - from < 1) continue;
            var captionDir = Path.Combine(workDir, $"caption-{i + 1}");
            Directory.CreateDirectory(captionDir);
            draw.Add(MarketplaceFormatter.DrawText(MarketplaceFormatter.Place([text], width, height, product), captionDir, $"between(t,{F(from)},{F(to)})"));
        }
        var captioned = Path.Combine(workDir, "captioned.mp4");
        await ffmpeg.TranscodeAsync(["-i", joined, "-vf", string.Join(",", draw), .. Encode, captioned], cancellationToken);

        // 4. The voice track, line by line at each scene's start.
        var voiceInputs = new List<string>();
        var delays = new List<string>();
        for (var i = 0; i < scenes.Count; i++)
        {
            var wav = Path.Combine(workDir, $"voice-{i}.wav");
            await speech.SpeakAsync(scenes[i].Voice, wav, cancellationToken);
            voiceInputs.AddRange(["-i", wav]);
            delays.Add($"[{i}:a]aformat=sample_rates=48000:channel_layouts=stereo,adelay={(int)((starts[i] + CardAssembler.VoiceLead) * 1000)}:all=1[v{i}]");
        }
        var voice = Path.Combine(workDir, "voice.wav");
        await ffmpeg.TranscodeAsync([.. voiceInputs, "-filter_complex", string.Join(";", delays) + ";"
            + string.Concat(Enumerable.Range(0, scenes.Count).Select(i => $"[v{i}]")) + $"amix=inputs={scenes.Count}:normalize=0", voice], cancellationToken);

        // 5. The music mixed under it, ducked.
        var mixed = Path.Combine(workDir, "mixed.wav");
        await ffmpeg.TranscodeAsync(["-f", "lavfi", "-i", LocalRenderStyle.For(0).Music((int)Math.Ceiling(total)), "-i", voice, "-filter_complex",
            "[0:a]aformat=sample_rates=48000:channel_layouts=stereo,volume=-10dB[bed];[1:a]apad,asplit=2[key][v];"
            + "[bed][key]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=300[ducked];[ducked][v]amix=inputs=2:duration=first:normalize=0",
            "-t", F(total), mixed], cancellationToken);

        // 6. The loudness measured, then applied.
        var level = await ffmpeg.LevelToTargetAsync(["-i", mixed], "[0:a]anull", cancellationToken);
        var leveled = Path.Combine(workDir, "leveled.m4a");
        await ffmpeg.TranscodeAsync(["-i", mixed, "-filter_complex", "[0:a]anull" + level, "-map", "[a]", "-c:a", "aac", "-b:a", "128k", leveled],
            cancellationToken);

        // 7. Picture and sound together.
        await ffmpeg.TranscodeAsync(["-i", captioned, "-i", leveled, "-map", "0:v", "-map", "1:a", "-c", "copy", "-t", F(total), "-movflags", "+faststart",
            output], cancellationToken);
    }
}
