namespace NeuroCards.Worker.Media;

public sealed record MediaInfo(double DurationSeconds, int Width, int Height, string? VideoCodec, long SizeBytes);
