namespace NeuroCards.Core.Storage;

/// <summary>An open object: the caller disposes the stream.</summary>
public sealed record MediaObject(Stream Content, long Length, string ContentType) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
