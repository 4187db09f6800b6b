using NeuroCards.Core.Marketplaces;

namespace NeuroCards.Worker.Media;

public sealed record MediaInfo(double DurationSeconds, int Width, int Height, string? VideoCodec, long SizeBytes, string? Container = null,
    bool HasAudio = false)
{
    public VideoFacts Facts => new(Container, VideoCodec, Width, Height, DurationSeconds, SizeBytes);
}
