using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NeuroCards.Core.Storage;

/// <summary>Creates the container (Azure) at start, so a wrong connection string shows at once and not at the first photo.</summary>
public sealed class MediaStoreInitializer(IMediaStore store, ILogger<MediaStoreInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.ExistsAsync("health/probe", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not fatal: /health reports storage as unhealthy until it answers.
            logger.LogError(e, "Media storage is not reachable at start");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
