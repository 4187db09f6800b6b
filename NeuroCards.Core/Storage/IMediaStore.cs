namespace NeuroCards.Core.Storage;

/// <summary>
/// Input photos and result videos. Streams in and out (never whole files in memory); URLs handed
/// to the outside (the video provider fetching a photo) are signed and expire.
/// </summary>
public interface IMediaStore
{
    /// <summary>Stores the stream under <paramref name="key"/> (replacing any object there) and returns its size in bytes.</summary>
    Task<long> PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>Opens the object for reading, or returns null when there is none.</summary>
    Task<MediaObject?> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>A URL anyone can fetch the object from until it expires.</summary>
    Task<Uri> GetSignedUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken = default);

    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    IAsyncEnumerable<MediaItem> ListAsync(string prefix, CancellationToken cancellationToken = default);
}
