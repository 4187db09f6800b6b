using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NeuroCards.Core.Storage;

/// <summary>Ready only when the media store answers.</summary>
public sealed class MediaStoreHealthCheck(IMediaStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ExistsAsync("health/probe", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("storage unreachable", e);
        }
    }
}
