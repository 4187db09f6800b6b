namespace NeuroCards.Worker.Media;

/// <summary>
/// How long one ffmpeg or ffprobe run may take: a stuck or runaway process is killed instead of holding a core.
/// A 10 s offline render takes about 2 s here; transcoding a large result to fit Telegram takes longest.
/// </summary>
public sealed record FfmpegLimits(TimeSpan Probe, TimeSpan Render, TimeSpan Transcode)
{
    public FfmpegLimits() : this(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(120), TimeSpan.FromMinutes(15))
    {
    }
}
