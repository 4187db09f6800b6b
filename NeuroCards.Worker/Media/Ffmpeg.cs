using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace NeuroCards.Worker.Media;

/// <summary>ffmpeg and ffprobe as child processes (argument lists, no shell); cancellation kills them.</summary>
public sealed class Ffmpeg(ILogger<Ffmpeg> logger)
{
    public const string CaptionFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

    public async Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var json = await RunAsync("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path], cancellationToken);
        var root = JsonNode.Parse(json) ?? throw new InvalidOperationException("ffprobe printed nothing");
        var video = root["streams"]?.AsArray().FirstOrDefault(s => s?["codec_type"]?.GetValue<string>() == "video");
        var duration = double.TryParse(root["format"]?["duration"]?.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
        return new MediaInfo(duration, video?["width"]?.GetValue<int>() ?? 0, video?["height"]?.GetValue<int>() ?? 0,
            video?["codec_name"]?.GetValue<string>(), new FileInfo(path).Length);
    }

    /// <summary>A JPEG of at most 320 px on the long side, as Telegram wants for video thumbnails.</summary>
    public Task ThumbnailAsync(string video, string output, CancellationToken cancellationToken) =>
        RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-ss", "1", "-i", video, "-frames:v", "1",
            "-vf", "scale='if(gt(iw,ih),320,-2)':'if(gt(iw,ih),-2,320)'", "-q:v", "5", output], cancellationToken);

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
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", $"{audioKbps}k", "-movflags", "+faststart", output], cancellationToken);
        if (new FileInfo(output).Length > maxBytes)
        {
            throw new InvalidOperationException($"transcoded video is still over {maxBytes} bytes");
        }
    }

    /// <summary>The offline render: a slow zoom over the photo, 9:16, with the product name as a caption.</summary>
    public Task RenderSlideshowAsync(string photo, string captionFile, string output, int seconds, CancellationToken cancellationToken)
    {
        var frames = seconds * 30;
        var filter = "[0:v]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,"
                     + $"zoompan=z='min(zoom+0.0006,1.18)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d={frames}:s=720x1280:fps=30,"
                     + $"drawtext=fontfile={CaptionFont}:textfile='{captionFile}':fontcolor=white:fontsize=46:box=1:boxcolor=black@0.45:"
                     + "boxborderw=18:x=(w-text_w)/2:y=h-260,format=yuv420p[v]";
        return RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-loop", "1", "-i", photo,
            "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-filter_complex", filter, "-map", "[v]", "-map", "1:a",
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
            "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart", output], cancellationToken);
    }

    private async Task<string> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed (run scripts/setup.sh, it installs ffmpeg)", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            if (process.ExitCode != 0)
            {
                var error = (await stderr).Trim();
                logger.LogWarning("{Tool} failed with exit code {ExitCode}: {Error}", tool, process.ExitCode, error);
                throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {error[..Math.Min(error.Length, 500)]}");
            }
            return await stdout;
        }
    }
}
