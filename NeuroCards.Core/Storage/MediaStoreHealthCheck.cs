using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NeuroCards.Core.Storage;

/// <summary>Ready only when the media store answers.</summary>
public sealed class MediaStoreHealthCheck(IMediaStore store) : IHealthCheck
{
    public const string ProbeKey = "health/probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // The probe is written once: asking for a missing object is a 404, which tracing records as a failed call on
            // every poll (a red span in the dashboard each time). Written, every later check is a plain 200.
            if (!await store.ExistsAsync(ProbeKey, cancellationToken))
                await store.PutAsync(ProbeKey, new MemoryStream([]), "application/octet-stream", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("storage unreachable", e);
        }
    }
}
