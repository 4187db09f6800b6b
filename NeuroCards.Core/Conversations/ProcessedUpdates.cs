using System.Data;
using Dapper;
using NeuroCards.Core.Data;
using Npgsql;

namespace NeuroCards.Core.Conversations;

/// <summary>
/// The Telegram update ids already handled, so a redelivered update changes nothing. Kept for <see cref="Retention"/>:
/// Telegram keeps an unconfirmed update for 24 hours, so anything older can never come again.
/// </summary>
public static class ProcessedUpdates
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(3);

    /// <summary>Records the update; false when it was recorded before (handled already).</summary>
    public static async Task<bool> TryRecordAsync(IDbConnection connection, IDbTransaction? transaction, long updateId, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into processed_updates (update_id) values (@updateId) on conflict do nothing", new { updateId }, transaction,
            cancellationToken: cancellationToken)) == 1;

    /// <summary>Records the update in the current unit of work (<see cref="DbScope"/>), or on its own outside one.</summary>
    public static async Task<bool> TryRecordAsync(NpgsqlDataSource dataSource, long updateId, CancellationToken cancellationToken)
    {
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        return await TryRecordAsync(scoped.Connection, scoped.Transaction, updateId, cancellationToken);
    }

    /// <summary>Forgets update ids older than <paramref name="olderThan"/>; returns how many.</summary>
    public static async Task<int> PruneAsync(NpgsqlDataSource dataSource, TimeSpan olderThan, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return await conn.ExecuteAsync(new CommandDefinition(
            "delete from processed_updates where processed_at < now() - @olderThan", new { olderThan }, cancellationToken: cancellationToken));
    }
}
