using NeuroCards.Core.Conversations;
using NeuroCards.Core.Hosting;

namespace NeuroCards.Bot.Intake;

/// <summary>Forgets handled update ids once Telegram can no longer deliver them again, so the table stays small.</summary>
public sealed class UpdateLogPruner(ClusterLease lease, ProcessedUpdates processed, ILogger<UpdateLogPruner> logger) : PeriodicService(logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Task<bool> MayRunAsync(CancellationToken cancellationToken) =>
        lease.TryHoldAsync("update-log-pruning", 2 * Interval, cancellationToken);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var pruned = await processed.PruneAsync(ProcessedUpdates.Retention, cancellationToken);
        if (pruned > 0) logger.LogInformation("Forgot {Count} handled update id(s) older than {Retention}", pruned, ProcessedUpdates.Retention);
    }
}
