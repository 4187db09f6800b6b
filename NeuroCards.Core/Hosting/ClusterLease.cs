using Dapper;
using Npgsql;

namespace NeuroCards.Core.Hosting;

/// <summary>
/// "Only one replica does this": a named lease in PostgreSQL. The holder renews it before each round (or each message
/// of a broadcast); another replica takes it only once it has run out, so a holder that died is replaced within its
/// time to live. Plain statements only — no session state — so it works through PgBouncer in transaction mode.
/// </summary>
public static class ClusterLease
{
    /// <summary>This process, as a lease owner: host, process and a random part (a restarted process is a new owner).</summary>
    public static readonly string Replica = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Takes or renews the lease; true while this replica holds it.</summary>
    public static async Task<bool> TryHoldAsync(NpgsqlDataSource dataSource, string name, TimeSpan ttl, CancellationToken cancellationToken,
        string? owner = null)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return await conn.ExecuteScalarAsync<string?>(new CommandDefinition("""
            insert into cluster_leases (name, owner, until) values (@name, @owner, now() + @ttl)
            on conflict (name) do update set owner = excluded.owner, until = excluded.until
            where cluster_leases.until < now() or cluster_leases.owner = excluded.owner
            returning owner
            """, new { name, owner = owner ?? Replica, ttl }, cancellationToken: cancellationToken)) is not null;
    }

    /// <summary>Gives the lease up at once (a replica stopping), so another need not wait for it to run out.</summary>
    public static async Task ReleaseAsync(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken, string? owner = null)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition("delete from cluster_leases where name = @name and owner = @owner",
            new { name, owner = owner ?? Replica }, cancellationToken: cancellationToken));
    }
}
