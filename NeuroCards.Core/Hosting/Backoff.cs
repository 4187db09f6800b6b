using Polly;
using Polly.Retry;

namespace NeuroCards.Core.Hosting;

/// <summary>
/// How long to wait before trying again, one way everywhere: exponential from <c>first</c>, capped at <c>max</c>, with
/// jitter so that many jobs or chats that failed together do not all come back at the same instant.
/// </summary>
// Compiled into the AppHost too (for restarting crashed processes), where it stays internal to it.
#if NEUROCARDS_APPHOST
internal
#else
public
#endif
static class Backoff
{
    /// <summary>The wait before try number <paramref name="attempt"/> + 1 (attempt 1: about <paramref name="first"/>), for a retry time that is stored (a job's not_before, an outbox row's due time) or a restart.</summary>
    public static TimeSpan Exponential(int attempt, TimeSpan first, TimeSpan max)
    {
        var seconds = Math.Min(max.TotalSeconds, first.TotalSeconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30)));
        return TimeSpan.FromSeconds(Math.Min(max.TotalSeconds, seconds * (0.8 + 0.4 * Random.Shared.NextDouble())));
    }

    /// <summary>
    /// A call retried in process until it succeeds or the caller stops (Polly, exponential with jitter): for what must
    /// happen before a service can work, like reaching Telegram at start.
    /// </summary>
    public static ResiliencePipeline UntilSuccess(Func<Exception, bool> passing, TimeSpan first, TimeSpan max, Action<Exception, int> onRetry) =>
        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(passing),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = first,
            MaxDelay = max,
            OnRetry = args =>
            {
                onRetry(args.Outcome.Exception!, args.AttemptNumber + 1);
                return default;
            },
        }).Build();
}
