using System.Collections.Concurrent;
using NeuroCards.Bot.Outbox;

namespace NeuroCards.Bot.Intake;

/// <summary>
/// Failures that another try a moment later is likely to get past (nothing was decided, nothing is lost), and how often
/// each update met one: past <see cref="MaxRedeliveries"/> it is treated as a lasting failure, so one update that keeps
/// failing cannot hold its chat (and, when polling, the offset) for ever.
/// </summary>
public sealed class PassingFailures
{
    public const int MaxRedeliveries = 5;

    private readonly ConcurrentDictionary<int, int> _counts = new();

    public static bool IsPassing(Exception e, CancellationToken cancellationToken) =>
        e is NpgsqlException { IsTransient: true } || OutboxSender.IsPassing(e, cancellationToken);

    /// <summary>Counts this failure of the update; true while it may still be delivered again.</summary>
    public bool MayRetry(int updateId)
    {
        // An update Telegram stopped sending (or sent to another replica) leaves its count behind: keep the map small.
        if (_counts.Count > 10_000) _counts.Clear();
        return _counts.AddOrUpdate(updateId, 1, (_, n) => n + 1) <= MaxRedeliveries;
    }

    public void Forget(int updateId) => _counts.TryRemove(updateId, out _);
}
