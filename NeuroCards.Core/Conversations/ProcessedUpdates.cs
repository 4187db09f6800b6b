using NeuroCards.Core.Data;

namespace NeuroCards.Core.Conversations;

/// <summary>
/// The Telegram update ids already handled, so a redelivered update changes nothing. Kept for <see cref="Retention"/>:
/// Telegram keeps an unconfirmed update for 24 hours, so anything older can never come again.
/// </summary>
public sealed class ProcessedUpdates(Db db)
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(3);

    /// <summary>Records the update (in the current unit of work, when there is one); false when it was recorded before.</summary>
    public async Task<bool> TryRecordAsync(long updateId, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("insert into processed_updates (update_id) values (@updateId) on conflict do nothing", new { updateId },
            cancellationToken) == 1;

    /// <summary>Forgets update ids older than <paramref name="olderThan"/>; returns how many.</summary>
    public Task<int> PruneAsync(TimeSpan olderThan, CancellationToken cancellationToken) =>
        db.ExecuteAsync("delete from processed_updates where processed_at < now() - @olderThan", new { olderThan }, cancellationToken);
}
