using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using Npgsql;

namespace NeuroCards.Tests.Core.Queue;

/// <summary>Two transactions interleaved statement by statement on two connections, where the queue and the money meet.</summary>
public sealed class QueueLockTests : IAsyncLifetime
{
    private readonly DatabaseFixture db = new();

    public ValueTask InitializeAsync() => db.InitializeAsync();

    public ValueTask DisposeAsync() => db.DisposeAsync();

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>Until the statement running on <paramref name="pid"/> waits for a lock held by another transaction.</summary>
    private async Task WaitUntilBlockedAsync(int pid)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        for (var i = 0; i < 200; i++)
        {
            if (await conn.ExecuteScalarAsync<bool>("select wait_event_type = 'Lock' from pg_stat_activity where pid = @pid", new { pid })) return;
            await Task.Delay(25);
        }
        throw new TimeoutException($"backend {pid} never waited for a lock");
    }

    private async Task<int> BackendOfAsync(NpgsqlConnection conn) => await conn.ExecuteScalarAsync<int>("select pg_backend_pid()");

    [Fact]
    public async Task A_worker_failing_a_job_while_its_user_presses_start_neither_deadlocks_nor_loses_the_refund()
    {
        var (userId, jobs) = await db.QueueJobsAsync(1);
        var job = Assert.Single(await db.Queue.ClaimAsync("worker", 1, Lease, perUserCap: 5));
        var nextOrder = await TestData.DraftOrderAsync(db.DataSource, userId, count: 1);

        // "🚀 Start" for the next order, as the confirmation orders its statements: the user's balance first …
        await using var start = await db.DataSource.OpenConnectionAsync();
        await using var startTx = await start.BeginTransactionAsync();
        await start.ExecuteAsync("update users set balance = balance - 1 where id = @userId", new { userId }, startTx);

        // … meanwhile the worker fails the running job (and refunds it) …
        var failing = Task.Run(() => db.Queue.FailAsync(job.Lease, FailureClass.Moderation, "refused"));
        await using (var probe = await db.DataSource.OpenConnectionAsync())
        {
            // The failure's connection is the one waiting for a lock now (the user's row, held by "Start").
            for (var i = 0; i < 200 && !await probe.ExecuteScalarAsync<bool>(
                     "select exists (select 1 from pg_stat_activity where wait_event_type = 'Lock' and pid <> pg_backend_pid() and query like '%users%')"); i++)
                await Task.Delay(25);
        }

        // … then "Start" queues the new order's job (the jobs trigger takes the user's queue row) and commits.
        await start.ExecuteAsync("""
            insert into jobs (id, order_id, user_id, chat_id, index, photo_key, description, template, model, language)
            select gen_random_uuid(), o.id, o.user_id, o.chat_id, 0, o.photo_key, o.description, 'ugc', o.model, 'ru' from orders o where o.id = @nextOrder
            """, new { nextOrder }, startTx);
        await startTx.CommitAsync();

        var (owned, refund) = await failing;
        Assert.True(owned);
        Assert.Equal(RefundResult.Refunded, refund);
        Assert.Equal(JobStatus.Failed, (await db.Queue.GetAsync(jobs[0]))!.Status);
    }

    [Fact]
    public async Task A_heartbeat_does_not_wait_for_a_job_row_someone_holds_locked()
    {
        await db.QueueJobsAsync(2);
        var claimed = await db.Queue.ClaimAsync("worker", 2, TimeSpan.FromSeconds(30), perUserCap: 5);
        Assert.Equal(2, claimed.Count);

        // An update's transaction holds one of the two rows.
        await using var holder = await db.DataSource.OpenConnectionAsync();
        await using var holderTx = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("select 1 from jobs where id = @Id for update", new { claimed[0].Id }, holderTx);

        var beat = db.Queue.HeartbeatAsync(claimed.Select(j => j.Lease).ToList(), TimeSpan.FromMinutes(10));
        var finished = await Task.WhenAny(beat, Task.Delay(TimeSpan.FromSeconds(15)));

        Assert.Same(beat, finished);
        Assert.Equal(claimed.Select(j => j.LeaseToken!.Value).ToHashSet(), (await beat).ToHashSet());
        await using var conn = await db.DataSource.OpenConnectionAsync();
        // The free one got its new lease; the held one keeps the lease it had (renewed on the next beat).
        Assert.True(await conn.ExecuteScalarAsync<bool>("select locked_until > now() + interval '5 minutes' from jobs where id = @Id", new { claimed[1].Id }));
        Assert.True(await conn.ExecuteScalarAsync<bool>("select locked_until < now() + interval '1 minute' from jobs where id = @Id", new { claimed[0].Id }));
    }

    [Fact]
    public async Task A_job_put_back_in_the_queue_while_another_leaves_it_stays_claimable()
    {
        var (userId, _) = await db.QueueJobsAsync(2);
        // One job running, the other queued.
        var running = Assert.Single(await db.Queue.ClaimAsync("worker", 1, Lease, perUserCap: 1));

        // A worker puts the running job back in the queue (not yet committed) …
        await using var requeue = await db.DataSource.OpenConnectionAsync();
        await using var requeueTx = await requeue.BeginTransactionAsync();
        await requeue.ExecuteAsync("update jobs set status = 'queued', not_before = now(), lease_owner = null, lease_token = null, locked_until = null where id = @Id",
            new { running.Id }, requeueTx);

        // … while an admin's refund takes the other, queued one out of the queue: its recount waits for the user's queue row.
        await using var refund = await db.DataSource.OpenConnectionAsync();
        var refundPid = await BackendOfAsync(refund);
        var refunding = refund.ExecuteAsync("update jobs set status = 'failed' where user_id = @userId and status = 'queued'", new { userId });
        await WaitUntilBlockedAsync(refundPid);
        await requeueTx.CommitAsync();
        await refunding;

        // The job put back is due and is claimed: the user's earliest due job was counted after the wait, not before.
        var again = await db.Queue.ClaimAsync("worker", 5, Lease, perUserCap: 5);
        Assert.Equal(running.Id, Assert.Single(again).Id);
    }
}
