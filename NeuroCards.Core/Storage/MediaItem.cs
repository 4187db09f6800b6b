namespace NeuroCards.Core.Storage;

public sealed record MediaItem(string Key, long Size, DateTimeOffset LastModified);
