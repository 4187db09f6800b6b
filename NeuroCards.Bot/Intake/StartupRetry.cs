using NeuroCards.Core.Hosting;
using Telegram.Bot.Exceptions;

namespace NeuroCards.Bot.Intake;

internal static class StartupRetry
{
    /// <summary>Telegram may be unreachable for a moment at start: keep trying instead of crashing.</summary>
    public static Task RunAsync(Func<Task> action, ILogger logger, CancellationToken cancellationToken) =>
        Backoff.UntilSuccess(e => e is RequestException or HttpRequestException, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30),
                (e, attempt) => logger.LogWarning(e, "Telegram call at start failed (attempt {Attempt}); retrying", attempt))
            .ExecuteAsync(async _ => await action(), cancellationToken).AsTask();
}
