using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NeuroCards.Core.Hosting;

namespace NeuroCards.Worker.Media;

/// <summary>ffmpeg and ffprobe as child processes (argument lists, no shell); cancellation or a time limit kills them.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim used only with WaitAsync and Release holds no OS handle; disposing it while a call is still inside would throw")]
public sealed partial class Ffmpeg(ILogger<Ffmpeg> logger, FfmpegLimits? limits = null)
{
    private readonly FfmpegLimits _limits = limits ?? new FfmpegLimits();

    // An ffmpeg run keeps a core busy: more at once than there are cores only makes every run slower, and each job
    // holds its lease longer. ffprobe is light and is not held back.
    private readonly SemaphoreSlim _cores = new(Environment.ProcessorCount, Environment.ProcessorCount);

    public const string CaptionFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

    public async Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var json = await RunAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path], cancellationToken);
        var root = JsonNode.Parse(json) ?? throw new InvalidOperationException("ffprobe printed nothing");
        var video = root["streams"]?.AsArray().FirstOrDefault(s => s?["codec_type"]?.GetValue<string>() == "video");
        var duration = double.TryParse(root["format"]?["duration"]?.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
        var hasAudio = root["streams"]?.AsArray().Any(s => s?["codec_type"]?.GetValue<string>() == "audio") == true;
        return new MediaInfo(duration, video?["width"]?.GetValue<int>() ?? 0, video?["height"]?.GetValue<int>() ?? 0,
            video?["codec_name"]?.GetValue<string>(), new FileInfo(path).Length, root["format"]?["format_name"]?.GetValue<string>(), hasAudio);
    }

    /// <summary>A JPEG of at most 320 px on the long side, as Telegram wants for video thumbnails.</summary>
    public Task ThumbnailAsync(string video, string output, CancellationToken cancellationToken) =>
        RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-ss", "1", "-i", video, "-frames:v", "1",
            "-vf", "scale='if(gt(iw,ih),320,-2)':'if(gt(iw,ih),-2,320)'", "-q:v", "5", output], cancellationToken, _limits.Render);

    /// <summary>Re-encodes to H.264/AAC at a bitrate that lands under <paramref name="maxBytes"/>, streaming file to file.</summary>
    public async Task FitAsync(string input, string output, long maxBytes, CancellationToken cancellationToken)
    {
        var info = await ProbeAsync(input, cancellationToken);
        var duration = Math.Max(info.DurationSeconds, 1);
        const int audioKbps = 96;
        // 8 % margin for the container and the encoder's overshoot.
        var totalKbps = maxBytes * 8 / 1000.0 / duration * 0.92;
        var videoKbps = Math.Max(200, (int)(totalKbps - audioKbps));
        var scale = info.Height > 1920 || info.Width > 1920 ? "scale='min(1080,iw)':-2" : "scale=trunc(iw/2)*2:trunc(ih/2)*2";
        await RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", input, "-vf", scale,
            "-c:v", "libx264", "-preset", "veryfast", "-b:v", $"{videoKbps}k", "-maxrate", $"{videoKbps}k", "-bufsize", $"{videoKbps * 2}k",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", $"{audioKbps}k", "-movflags", "+faststart", output], cancellationToken, _limits.Transcode);
        if (new FileInfo(output).Length > maxBytes)
        {
            throw new InvalidOperationException($"transcoded video is still over {maxBytes} bytes");
        }
    }

    /// <summary>
    /// The offline render, 720×1280: the whole photo over a blurred, darkened copy of itself (padded, never cropped),
    /// moved and graded as <paramref name="style"/> says, and a soft music bed. The photo sits in the lower two thirds:
    /// the top third is plain backdrop, where the marketplace formatter draws the captions (the one caption system).
    /// </summary>
    public async Task RenderSlideshowAsync(string photo, Generation.Local.LocalRenderStyle style, string output, int seconds,
        CancellationToken cancellationToken)
    {
        // The largest product box on the 1080×1920 composite (900 wide): below the top third, inside the margin the
        // motions zoom past. Each style's box keeps its shape at its own width, so the videos of an order differ in size too.
        const int fps = 30, productTop = 780, productHeight = 1040;
        var frames = seconds * fps;
        var (zoom, x, y) = style.Motion(frames);
        var filter = "[0:v]split=2[a][b];"
                     + "[a]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,gblur=sigma=40,eq=brightness=-0.2:saturation=0.8[bg];"
                     + $"[b]scale={style.ProductWidth}:{style.ProductWidth * productHeight / 900}:force_original_aspect_ratio=decrease[fg];"
                     + $"[bg][fg]overlay=x=(W-w)/2:y={productTop}+({productHeight}-h)/2,{style.Grade},"
                     + $"zoompan=z='{zoom}':x='{x}':y='{y}':d={frames}:s=720x1280:fps={fps},format=yuv420p[v]";
        await RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-loop", "1", "-i", photo,
            "-f", "lavfi", "-i", style.Music(seconds), "-filter_complex", filter, "-map", "[v]", "-map", "1:a",
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
            "-c:a", "aac", "-b:a", "96k", "-shortest", "-movflags", "+faststart", output], cancellationToken, _limits.Render);
    }

    /// <summary>
    /// The offline render of a still that is already the whole frame (a card video's scene): the camera moves over it as
    /// <paramref name="style"/> says, at the still's own size, with the style's music bed.
    /// </summary>
    public async Task RenderStillAsync(string still, Generation.Local.LocalRenderStyle style, string output, int seconds,
        CancellationToken cancellationToken)
    {
        const int fps = 30;
        var frames = seconds * fps;
        var (zoom, x, y) = style.Motion(frames);
        var info = await ProbeAsync(still, cancellationToken);
        var size = string.Create(CultureInfo.InvariantCulture, $"{info.Width / 2 * 2}x{info.Height / 2 * 2}");
        // Upscaled first so the slow zoom does not step from pixel to pixel.
        var filter = $"[0:v]scale=iw*2:ih*2,{style.Grade},zoompan=z='{zoom}':x='{x}':y='{y}':d={frames}:s={size}:fps={fps},format=yuv420p[v]";
        await RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-loop", "1", "-i", still,
            "-f", "lavfi", "-i", style.Music(seconds), "-filter_complex", filter, "-map", "[v]", "-map", "1:a",
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
            "-c:a", "aac", "-b:a", "96k", "-shortest", "-movflags", "+faststart", output], cancellationToken, _limits.Render);
    }

    /// <summary>
    /// For each row of the video's first <paramref name="seconds"/>, scaled to 320 pixels wide and seen twice a second,
    /// the most pixels in any one frame that differ from a slightly blurred copy of themselves: the fine detail of a
    /// product, its outline and labels. A blurred or plain backdrop has none. Written through <paramref name="workDir"/>.
    /// </summary>
    /// <param name="info">The video's facts, as the caller has already probed them (its frame's shape).</param>
    public async Task<int[]> DetailRowsAsync(string video, MediaInfo info, double seconds, string workDir, CancellationToken cancellationToken)
    {
        const int width = 320;
        var height = info.Width > 0 ? (int)Math.Round(width * (double)info.Height / info.Width / 2) * 2 : width;
        var raw = Path.Combine(workDir, "detail.gray");
        await RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-t", seconds.ToString("0.###", CultureInfo.InvariantCulture),
            "-i", video, "-filter_complex", $"fps=2,scale={width}:{height},format=gray,split[a][b];[b]gblur=sigma=2[c];"
            + "[a][c]blend=all_mode=difference,lut=c0='gt(val,6)'", "-f", "rawvideo", "-pix_fmt", "gray", raw],
            cancellationToken, _limits.Transcode);
        var frames = await File.ReadAllBytesAsync(raw, cancellationToken);
        File.Delete(raw);
        var rows = new int[height];
        for (var frame = 0; frame + width * height <= frames.Length; frame += width * height)
            for (var y = 0; y < height; y++)
            {
                var count = 0;
                for (var x = 0; x < width; x++) count += frames[frame + y * width + x];
                rows[y] = Math.Max(rows[y], count);
            }
        return rows;
    }

    /// <summary>
    /// The video's own sound (its music) ducked under <paramref name="voice"/>, which starts at <paramref name="voiceStart"/>
    /// seconds, mixed to -16 LUFS integrated (what players normalise to) with true peak under -1 dBTP: the mix is
    /// measured (EBU R128, the ebur128 filter), then brought there by one gain with a peak limiter at -2 dBFS, the voice
    /// lightly compressed first so the limiter hardly acts. The picture is copied as it is.
    /// </summary>
    public async Task MixVoiceAsync(string video, string voice, double voiceStart, string output, CancellationToken cancellationToken)
    {
        var delay = (int)(voiceStart * 1000);
        var mix = "[1:a]aformat=sample_rates=48000:channel_layouts=stereo,acompressor=threshold=0.1:ratio=3:attack=5:release=100,"
                  + $"adelay={delay}:all=1,apad,asplit=2[key][voice];"
                  // A bed about 18 dB under the voice, and lower still while it speaks.
                  + "[0:a]aformat=sample_rates=48000:channel_layouts=stereo,volume=-10dB[bed];"
                  + "[bed][key]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=300[ducked];"
                  + "[ducked][voice]amix=inputs=2:duration=first:normalize=0";
        var level = await LevelToTargetAsync(["-i", video, "-i", voice], mix, cancellationToken);
        await RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", video, "-i", voice, "-filter_complex", mix + level,
            "-map", "0:v", "-c:v", "copy", "-map", "[a]", "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", output],
            cancellationToken, _limits.Transcode);
    }

    public const double TargetLufs = -16;

    /// <summary>
    /// Measures the audio <paramref name="graph"/> makes of <paramref name="inputs"/> (EBU R128) and returns the filters
    /// that bring it to <see cref="TargetLufs"/> with true peak under -1 dBTP, ending in the label <c>[a]</c>: one gain and
    /// a peak limiter at -2 dBFS. Audio only: cheap next to the video pass it goes into.
    /// </summary>
    public async Task<string> LevelToTargetAsync(IReadOnlyList<string> inputs, string graph, CancellationToken cancellationToken)
    {
        var measured = await RunAsync("ffmpeg", ["-hide_banner", "-nostats", .. inputs, "-filter_complex", graph + ",ebur128", "-vn", "-f", "null", "-"],
            cancellationToken, _limits.Transcode, errors: true);
        var integrated = Loudness().Match(measured[measured.LastIndexOf("Summary:", StringComparison.Ordinal)..]);
        if (!integrated.Success) throw new InvalidOperationException("ffmpeg measured no loudness");
        var gain = TargetLufs - double.Parse(integrated.Groups[1].Value, CultureInfo.InvariantCulture);
        return FormattableString.Invariant($",volume={gain:0.##}dB,alimiter=limit=0.79:level=false:attack=2:release=50,")
               + "aformat=sample_rates=48000:channel_layouts=stereo[a]";
    }

    [GeneratedRegex(@"I:\s+(-?[\d.]+) LUFS")]
    private static partial Regex Loudness();

    /// <summary>A simple product shot drawn by ffmpeg (a blue mug on a warm backdrop), 3:4, for the demo sample.</summary>
    public Task DrawProductAsync(string output, CancellationToken cancellationToken) =>
        RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=0xf4efe6:s=900x1200", "-vf",
            "drawbox=x=0:y=860:w=900:h=340:color=0xd9cbb5:t=fill,drawbox=x=260:y=360:w=360:h=520:color=0x2a6fb0:t=fill,"
            + "drawbox=x=620:y=470:w=130:h=260:color=0x2a6fb0:t=34,drawbox=x=260:y=360:w=360:h=40:color=0x1f5a92:t=fill",
            "-frames:v", "1", "-q:v", "2", output], cancellationToken, _limits.Render);

    /// <summary>An ffmpeg run of its caller's making (the marketplace formatter), under the same one-per-core limit.</summary>
    public Task TranscodeAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args], cancellationToken, _limits.Transcode);

    /// <returns>What the tool printed: its output, or with <paramref name="errors"/> what it printed on stderr (loudnorm's measurement).</returns>
    private async Task<string> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken, TimeSpan? limit = null,
        bool errors = false)
    {
        if (tool != "ffmpeg") return await RunNowAsync(tool, args, limit, errors, cancellationToken);
        await _cores.WaitAsync(cancellationToken);
        try
        {
            return await RunNowAsync(tool, args, limit, errors, cancellationToken);
        }
        finally
        {
            _cores.Release();
        }
    }

    private async Task<string> RunNowAsync(string tool, IReadOnlyList<string> args, TimeSpan? limit, bool errors, CancellationToken cancellationToken)
    {
        var result = await ToolRunner.RunAsync(tool, args, limit ?? _limits.Probe, cancellationToken);
        if (!result.Succeeded)
        {
            var error = result.Error.Trim();
            logger.LogWarning("{Tool} failed with exit code {ExitCode}: {Error}", tool, result.ExitCode, error);
            throw new InvalidOperationException($"{tool} failed ({result.ExitCode}): {error[..Math.Min(error.Length, 500)]}");
        }
        return errors ? result.Error : result.Output;
    }
}
