using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace NeuroCards.Core.Hosting;

public static class HttpClientBuilderExtensions
{
    /// <summary>
    /// Replaces the standard handler's 10 s / 30 s timeouts (which would cut a video transfer) with
    /// minutes per attempt. Unsafe methods are never retried by the handler: an upload's stream is
    /// read once, and a repeated POST could post or pay twice.
    /// </summary>
    public static IHttpClientBuilder WithLargeTransferResilience(this IHttpClientBuilder builder)
    {
        builder.RemoveAllResilienceHandlers().AddStandardResilienceHandler(o =>
        {
            o.AttemptTimeout.Timeout = TimeSpan.FromMinutes(10);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(30);
            o.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(20);
            o.Retry.DisableForUnsafeHttpMethods();
        });
        return builder;
    }
}
