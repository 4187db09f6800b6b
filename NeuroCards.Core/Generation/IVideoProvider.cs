namespace NeuroCards.Core.Generation;

/// <summary>Renders an image-to-video clip: KIE in production, ffmpeg offline. The pipeline treats both alike.</summary>
public interface IVideoProvider
{
    string Name { get; }

    /// <summary>True when the provider calls back on completion (polling is still the fallback).</summary>
    bool SupportsCallbacks { get; }

    Task<CreateResult> CreateAsync(RenderRequest request, CancellationToken cancellationToken);

    Task<RenderStatus> GetStatusAsync(string taskId, string keyId, string model, CancellationToken cancellationToken);
}
