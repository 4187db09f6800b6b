using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NeuroCards.Core.Hosting;

/// <summary>
/// A background loop that runs one round every <see cref="Interval"/> and never stops the host: whatever a round
/// throws (a network error, a timeout, a 403 from Telegram, a bug) is logged and the next round comes as usual.
/// </summary>
public abstract class PeriodicService(ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    /// <summary>False: this replica has nothing to do (the feature is not configured).</summary>
    protected virtual bool Enabled => true;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>Whether this replica runs the round: work that must happen once per cluster holds a <see cref="ClusterLease"/>.</summary>
    protected virtual Task<bool> MayRunAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await MayRunAsync(stoppingToken)) await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "{Service} round failed; next round in {Interval}", GetType().Name, Interval);
            }
            try
            {
                await Task.Delay(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
