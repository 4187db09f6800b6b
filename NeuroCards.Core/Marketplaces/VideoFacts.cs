namespace NeuroCards.Core.Marketplaces;

/// <summary>What ffprobe says about a video file: what the marketplaces' rules are checked against.</summary>
public sealed record VideoFacts(string? Container, string? VideoCodec, int Width, int Height, double DurationSeconds, long SizeBytes)
{
    public int LongestSide => Math.Max(Width, Height);
}
