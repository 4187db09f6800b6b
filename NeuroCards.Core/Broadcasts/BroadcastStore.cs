using Dapper;
using NeuroCards.Core.Data;
using Npgsql;

namespace NeuroCards.Core.Broadcasts;

/// <summary>Broadcasts an admin started, and how far each got: the cursor moves after every message, so a restart resumes.</summary>
public sealed class BroadcastStore(Db db)
{
    public async Task StartAsync(string text, long adminId, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync("insert into broadcasts (text, created_by) values (@text, @adminId)",
            new { text, adminId }, cancellationToken);
    }

    /// <summary>The oldest running broadcast, or null.</summary>
    public async Task<Broadcast?> OldestRunningAsync(CancellationToken cancellationToken)
    {
        return await db.SingleOrDefaultAsync<Broadcast>(
            "select id, text, last_user_id from broadcasts where status = 'running' order by id limit 1", null, cancellationToken);
    }

    public async Task AdvanceAsync(long broadcastId, long userId, bool sent, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync("""
            update broadcasts set last_user_id = @userId, sent = sent + @delivered, failed = failed + 1 - @delivered where id = @broadcastId
            """, new { userId, delivered = sent ? 1 : 0, broadcastId }, cancellationToken);
    }

    public async Task FinishAsync(long broadcastId, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync("update broadcasts set status = 'done', finished_at = now() where id = @broadcastId",
            new { broadcastId }, cancellationToken);
    }
}
