using NeuroCards.Core.Data;

namespace NeuroCards.Core.Hosting;

/// <summary>
/// "Only one replica does this": a named lease in PostgreSQL. The holder renews it before each round (or each message
/// of a broadcast); another replica takes it only once it has run out, so a holder that died is replaced within its
/// time to live. Plain statements only — no session state — so it works through PgBouncer in transaction mode.
/// </summary>
public sealed class ClusterLease(Db db)
{
    /// <summary>This process, as a lease owner: host, process and a random part (a restarted process is a new owner).</summary>
    public static readonly string Replica = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Takes or renews the lease; true while this replica holds it.</summary>
    public async Task<bool> TryHoldAsync(string name, TimeSpan ttl, CancellationToken cancellationToken, string? owner = null) =>
        await db.ScalarAsync<string?>("""
            insert into cluster_leases (name, owner, until) values (@name, @owner, now() + @ttl)
            on conflict (name) do update set owner = excluded.owner, until = excluded.until
            where cluster_leases.until < now() or cluster_leases.owner = excluded.owner
            returning owner
            """, new { name, owner = owner ?? Replica, ttl }, cancellationToken) is not null;

    /// <summary>Gives the lease up at once (a replica stopping), so another need not wait for it to run out.</summary>
    public Task ReleaseAsync(string name, CancellationToken cancellationToken, string? owner = null) =>
        db.ExecuteAsync("delete from cluster_leases where name = @name and owner = @owner", new { name, owner = owner ?? Replica }, cancellationToken);
}
