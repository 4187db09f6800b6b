using Telegram.Bot.Exceptions;

namespace NeuroCards.Bot.Intake;

internal static class StartupRetry
{
    /// <summary>Telegram may be unreachable for a moment at start: keep trying instead of crashing.</summary>
    public static async Task RunAsync(Func<Task> action, ILogger logger, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception e) when ((e is RequestException or HttpRequestException) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Telegram call at start failed (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), cancellationToken);
            }
        }
    }
}
