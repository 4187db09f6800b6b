using System.Collections.Concurrent;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;

namespace NeuroCards.Tests.Core.Queue;

// Each test gets its own database: claims see the whole queue, so tests must not see each other's jobs.
public abstract class JobQueueTests(bool throughPgBouncer) : IAsyncLifetime
{
    public sealed class OnPostgres() : JobQueueTests(false);

    /// <summary>The same, through PgBouncer in transaction mode (Supabase's pooler).</summary>
    public sealed class ThroughPgBouncer() : JobQueueTests(true);

    private readonly DatabaseFixture db = new() { ThroughPgBouncer = throughPgBouncer };

    public ValueTask InitializeAsync() => db.InitializeAsync();

    public ValueTask DisposeAsync() => db.DisposeAsync();

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private Task<(long UserId, IReadOnlyList<Guid> JobIds)> QueueJobsAsync(int orders, int perOrder = 1) => db.QueueJobsAsync(orders, perOrder);

    private async Task ExecAsync(string sql, object? args = null)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await conn.ExecuteAsync(sql, args);
    }

    [Fact]
    public async Task Eight_claimers_over_two_thousand_jobs_claim_every_job_exactly_once()
    {
        var all = new List<Guid>();
        // 400 users with 5 jobs each: the cap of 5 in flight never holds a claimer back here.
        for (var u = 0; u < 400; u++) all.AddRange((await QueueJobsAsync(1, 5)).JobIds);
        var claimed = new ConcurrentBag<Guid>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            while (true)
            {
                var batch = await db.Queue.ClaimAsync($"worker-{w}", 25, Lease, perUserCap: 5);
                if (batch.Count == 0) break;
                foreach (var job in batch) claimed.Add(job.Id);
            }
        })));

        Assert.Equal(all.Count, claimed.Count);
        Assert.Equal(all.Order(), claimed.Order());
        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(2000, await conn.ExecuteScalarAsync<int>("select count(*)::int from jobs where status = 'running'"));
    }

    /// <summary>A lease runs out: set in the past rather than waited for, so a slow machine cannot make it run out early.</summary>
    private async Task ExpireLeaseAsync(Guid jobId)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await conn.ExecuteAsync("update jobs set locked_until = now() - interval '1 second' where id = @jobId", new { jobId });
    }

    [Fact]
    public async Task A_job_whose_lease_expired_is_claimed_again_by_another_worker()
    {
        var (_, jobs) = await QueueJobsAsync(1);
        var first = await db.Queue.ClaimAsync("crashed-worker", 100, Lease, perUserCap: 5);
        Assert.Contains(first, j => j.Id == jobs[0]);
        Assert.DoesNotContain(await db.Queue.ClaimAsync("other", 100, Lease, 5), j => j.Id == jobs[0]);

        await ExpireLeaseAsync(jobs[0]); // the crashed worker stops renewing it
        var second = await db.Queue.ClaimAsync("other", 100, Lease, 5);

        var job = Assert.Single(second, j => j.Id == jobs[0]);
        Assert.Equal("other", job.LeaseOwner);
        // The crashed worker has lost it: nothing it writes lands.
        var stale = first.Single(j => j.Id == jobs[0]).Lease;
        Assert.False(await db.Queue.RecordPromptAsync(stale, "late"));
        Assert.Empty(await db.Queue.HeartbeatAsync([stale], Lease));
        Assert.Equal([job.Lease.Token], await db.Queue.HeartbeatAsync([job.Lease], Lease));
        Assert.Equal(1, job.Takeovers);
    }

    [Fact]
    public async Task A_worker_that_claims_its_own_job_again_fences_off_its_earlier_claim()
    {
        var (userId, jobs) = await QueueJobsAsync(1);
        var earlier = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, perUserCap: 5), j => j.Id == jobs[0]);
        await ExpireLeaseAsync(jobs[0]);

        // The same worker (same id, same process) claims the job again once the lease ran out.
        var later = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, perUserCap: 5), j => j.Id == jobs[0]);

        Assert.NotEqual(earlier.Lease.Token, later.Lease.Token);
        Assert.False(await db.Queue.RecordPromptAsync(earlier.Lease, "from the earlier claim"));
        Assert.Empty(await db.Queue.HeartbeatAsync([earlier.Lease], Lease));
        Assert.False((await db.Queue.FailAsync(earlier.Lease, FailureClass.Unknown, "earlier claim")).Owned);
        Assert.False(await db.Queue.CompleteAsync(earlier.Lease, "file-from-earlier"));
        Assert.True(await db.Queue.RecordPromptAsync(later.Lease, "from the later claim"));
        var now = await db.Queue.GetAsync(jobs[0]);
        Assert.Equal(JobStatus.Running, now!.Status);
        Assert.Equal("from the later claim", now.FinalPrompt);
        Assert.Equal(Ledger.SignUpBonus, await TestData.BalanceAsync(db.DataSource, userId));
    }

    [Fact]
    public async Task A_job_delivered_while_another_worker_claims_it_stays_delivered()
    {
        // A completion commits between the claim's snapshot and its row lock (a backlog behind the job makes that likelier).
        var (_, backlog) = await QueueJobsAsync(1);
        await ExecAsync("""
            insert into jobs (id, order_id, user_id, chat_id, index, photo_key, description, template, model, language)
            select gen_random_uuid(), order_id, user_id, chat_id, g, photo_key, description, template, model, language
            from jobs, generate_series(1, 5000) g where id = @id
            """, new { id = backlog[0] });
        var reopened = 0;
        for (var round = 0; round < 40; round++)
        {
            var (_, ids) = await QueueJobsAsync(1);
            await ExecAsync("update jobs set created_at = '2000-01-01', not_before = '2000-01-01' where id = @id", new { id = ids[0] });
            var held = Assert.Single(await db.Queue.ClaimAsync("slow-worker", 1, Lease, perUserCap: 10000), j => j.Id == ids[0]);
            // Its lease just ran out, as the slow worker finishes the job.
            await ExecAsync("update jobs set locked_until = now() - interval '1 second' where id = @id", new { id = ids[0] });

            var claim = Task.Run(() => db.Queue.ClaimAsync("other-worker", 1, Lease, perUserCap: 10000));
            await Task.Delay(round % 8);
            var completed = await db.Queue.CompleteAsync(held.Lease, "file-id");
            var claimed = await claim;

            var job = await db.Queue.GetAsync(ids[0]);
            if (completed && job!.Status != JobStatus.Delivered) reopened++;
            if (claimed.SingleOrDefault(j => j.Id == ids[0]) is { } taken) await db.Queue.FailAsync(taken.Lease, FailureClass.Unknown, "cleanup");
            await ExecAsync("update jobs set status = 'failed', lease_token = null where status = 'running'");
        }
        Assert.Equal(0, reopened);
    }

    [Fact]
    public async Task Each_render_attempt_gets_a_full_deadline_of_its_own()
    {
        var (_, jobs) = await QueueJobsAsync(1);
        var first = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, 5), j => j.Id == jobs[0]);
        var firstDeadline = DateTime.UtcNow.AddMinutes(2);
        await db.Queue.BeginProviderAttemptAsync(first.Lease, "kie", "tok-1", firstDeadline);
        await db.Queue.RetryLaterAsync(first.Lease, DateTime.UtcNow, FailureClass.ProviderFailure, "render failed", forgetProviderTask: true);

        // The retry starts late in the first attempt's time: it still gets its whole deadline.
        var second = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, 5), j => j.Id == jobs[0]);
        var secondDeadline = DateTime.UtcNow.AddMinutes(30);
        await db.Queue.BeginProviderAttemptAsync(second.Lease, "kie", "tok-2", secondDeadline);

        var job = await db.Queue.GetAsync(jobs[0]);
        Assert.Equal(2, job!.Attempt);
        Assert.Equal(secondDeadline, job.RenderDeadline!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(1, job.FailureCount);
    }

    [Fact]
    public async Task A_job_due_later_is_not_claimed_until_then()
    {
        var (_, jobs) = await QueueJobsAsync(1);
        var claimed = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, 5), j => j.Id == jobs[0]);
        Assert.True(await db.Queue.RetryLaterAsync(claimed.Lease, DateTime.UtcNow.AddMilliseconds(600), FailureClass.Temporary, "busy"));

        Assert.DoesNotContain(await db.Queue.ClaimAsync("w2", 100, Lease, 5), j => j.Id == jobs[0]);
        await Task.Delay(800);

        var again = Assert.Single(await db.Queue.ClaimAsync("w2", 100, Lease, 5), j => j.Id == jobs[0]);
        Assert.Equal(FailureClass.Temporary, again.Failure);
    }

    [Fact]
    public async Task A_user_with_fifty_queued_jobs_does_not_starve_a_user_with_one()
    {
        var (busy, busyJobs) = await QueueJobsAsync(10, 5);
        var (quiet, quietJobs) = await QueueJobsAsync(1);
        Assert.Equal(50, busyJobs.Count);

        var firstClaims = await Task.WhenAll(Enumerable.Range(0, 4).Select(w =>
            Task.Run(() => db.Queue.ClaimAsync($"w{w}", 10, Lease, perUserCap: 3))));
        var claimed = firstClaims.SelectMany(c => c).ToList();

        Assert.Contains(claimed, j => j.Id == quietJobs[0]);
        Assert.Equal(3, claimed.Count(j => j.UserId == busy));
        Assert.Equal(1, claimed.Count(j => j.UserId == quiet));
        // Oldest first within the cap.
        Assert.Equal(busyJobs.Take(3).Order(), claimed.Where(j => j.UserId == busy).Select(j => j.Id).Order());

        // Finishing one frees one place for the busy user, not more.
        var done = claimed.First(j => j.UserId == busy);
        Assert.True(await db.Queue.RecordResultAsync(done.Lease, "outputs/x.mp4", 10, 10, 720, 1280));
        Assert.True(await db.Queue.CompleteAsync(done.Lease, "file-id"));
        var next = await db.Queue.ClaimAsync("w9", 10, Lease, perUserCap: 3);
        Assert.Equal(1, next.Count(j => j.UserId == busy));
    }

    [Fact]
    public async Task Concurrent_claimers_never_give_one_user_more_than_the_cap()
    {
        var (_, jobs) = await QueueJobsAsync(10, 5);
        var (held, done) = (new List<Job>(), new List<Job>());
        for (var round = 0; round < 4; round++)
        {
            var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(w =>
                Task.Run(() => db.Queue.ClaimAsync($"w{w}", 10, Lease, perUserCap: 3))));
            held.AddRange(claims.SelectMany(c => c));
            Assert.Equal(3, held.Count);
            // The oldest first, whichever claimer got them.
            Assert.Equal(jobs.Take(3 + round).Order(), held.Concat(done).Select(j => j.Id).Order());

            var finished = held[0];
            Assert.True(await db.Queue.RecordResultAsync(finished.Lease, "outputs/x.mp4", 10, 10, 720, 1280));
            Assert.True(await db.Queue.CompleteAsync(finished.Lease, "file-id"));
            held.RemoveAt(0);
            done.Add(finished);
        }
    }

    [Fact]
    public async Task Users_take_turns_across_claims_not_only_within_one()
    {
        var (first, _) = await QueueJobsAsync(1, 5);
        var (second, _) = await QueueJobsAsync(1, 5);

        var order = new List<long>();
        for (var i = 0; i < 6; i++) order.AddRange((await db.Queue.ClaimAsync("w1", 1, Lease, perUserCap: 5)).Select(j => j.UserId));

        Assert.Equal([first, second, first, second, first, second], order);
    }

    [Fact]
    public async Task The_claims_bookkeeping_matches_the_jobs_after_every_kind_of_move()
    {
        var (a, _) = await QueueJobsAsync(2, 3);
        var (b, _) = await QueueJobsAsync(1, 5);
        var claimed = (await db.Queue.ClaimAsync("w1", 10, Lease, perUserCap: 3)).ToList();
        Assert.Equal(6, claimed.Count);
        var ofA = claimed.Where(j => j.UserId == a).ToList();
        var ofB = claimed.Where(j => j.UserId == b).ToList();
        Assert.True(await db.Queue.RecordResultAsync(ofA[0].Lease, "outputs/a.mp4", 10, 10, 720, 1280));
        Assert.True(await db.Queue.CompleteAsync(ofA[0].Lease, "file-a"));
        Assert.True(await db.Queue.RetryLaterAsync(ofA[1].Lease, DateTime.UtcNow.AddHours(1), FailureClass.Temporary, "busy"));
        Assert.True((await db.Queue.FailAsync(ofB[0].Lease, FailureClass.Moderation, "refused")).Owned);
        Assert.True(await db.Queue.ReleaseAsync(ofB[1].Lease));
        Assert.Equal(RefundResult.Refunded, await db.Queue.RefundByAdminAsync(ofB[2].Id, adminId: 1));
        await ExecAsync("update jobs set locked_until = now() - interval '1 second' where id = @id", new { id = ofA[2].Id });
        Assert.Contains(await db.Queue.ClaimAsync("w2", 10, Lease, perUserCap: 3), j => j.Id == ofA[2].Id);

        await using var conn = await db.DataSource.OpenConnectionAsync();
        var kept = await conn.QueryAsync<(long, int, DateTime?)>(
            "select user_id, running, next_due from queue_users where user_id = any(@ids) order by user_id", new { ids = new[] { a, b } });
        var actual = await conn.QueryAsync<(long, int, DateTime?)>("""
            select user_id, (count(*) filter (where status = 'running'))::int, min(not_before) filter (where status = 'queued')
            from jobs where user_id = any(@ids) group by user_id order by user_id
            """, new { ids = new[] { a, b } });
        Assert.Equal(actual, kept);
    }

    [Fact]
    public async Task Finishing_a_job_wakes_a_claimer_waiting_for_that_users_next_one()
    {
        var (_, jobs) = await QueueJobsAsync(2);
        var first = Assert.Single(await db.Queue.ClaimAsync("w1", 10, Lease, perUserCap: 1));
        Assert.Empty(await db.Queue.ClaimAsync("w2", 10, Lease, perUserCap: 1));
        using var signal = new QueueSignals(db.Db, Microsoft.Extensions.Logging.Abstractions.NullLogger<QueueSignals>.Instance);
        await signal.StartAsync(CancellationToken.None);
        await signal.Probed;

        var wait = signal.WaitForReadyAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(await db.Queue.RecordResultAsync(first.Lease, "outputs/x.mp4", 10, 10, 720, 1280));
        Assert.True(await db.Queue.CompleteAsync(first.Lease, "file-id"));
        Assert.Same(wait, await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10))));

        Assert.Equal(jobs[1], Assert.Single(await db.Queue.ClaimAsync("w2", 10, Lease, perUserCap: 1)).Id);
        await signal.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Failing_a_job_refunds_it_in_the_same_step_and_only_once()
    {
        var (userId, jobs) = await QueueJobsAsync(1);
        Assert.Equal(0, await TestData.BalanceAsync(db.DataSource, userId) - Ledger.SignUpBonus);
        var job = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, 5), j => j.Id == jobs[0]);

        var (owned, refund) = await db.Queue.FailAsync(job.Lease, FailureClass.Moderation, "people in the photo");
        var (ownedAgain, _) = await db.Queue.FailAsync(job.Lease, FailureClass.Moderation, "people in the photo");

        Assert.True(owned);
        Assert.Equal(RefundResult.Refunded, refund);
        Assert.False(ownedAgain);
        Assert.Equal(Ledger.SignUpBonus + 1, await TestData.BalanceAsync(db.DataSource, userId));
        var failed = await db.Queue.GetAsync(job.Id);
        Assert.Equal(JobStatus.Failed, failed!.Status);
        Assert.Equal(FailureClass.Moderation, failed.Failure);
    }

    [Fact]
    public async Task A_job_with_its_video_stored_cannot_be_failed_and_refunded()
    {
        var (userId, jobs) = await QueueJobsAsync(1);
        var job = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, 5), j => j.Id == jobs[0]);
        await db.Queue.RecordResultAsync(job.Lease, "outputs/v.mp4", 1000, 10, 720, 1280);

        var (owned, _) = await db.Queue.FailAsync(job.Lease, FailureClass.Unknown, "telegram down");

        Assert.False(owned);
        Assert.Equal(Ledger.SignUpBonus, await TestData.BalanceAsync(db.DataSource, userId));
    }

    [Fact]
    public async Task Released_jobs_keep_their_recorded_steps_for_the_next_worker()
    {
        var (_, jobs) = await QueueJobsAsync(1);
        var job = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, 5), j => j.Id == jobs[0]);
        await db.Queue.RecordPromptAsync(job.Lease, "A mug on a table");
        await db.Queue.BeginProviderAttemptAsync(job.Lease, "kie", "tok", DateTime.UtcNow.AddMinutes(30));
        await db.Queue.RecordProviderTaskAsync(job.Lease, "task_123", "key-a");

        Assert.True(await db.Queue.ReleaseAsync(job.Lease));
        var resumed = Assert.Single(await db.Queue.ClaimAsync("w2", 100, Lease, 5), j => j.Id == jobs[0]);

        Assert.Equal("A mug on a table", resumed.FinalPrompt);
        Assert.Equal("task_123", resumed.ProviderTaskId);
        Assert.Equal("key-a", resumed.ProviderKeyId);
        Assert.Equal(1, resumed.Attempt);
    }

    [Fact]
    public async Task Idle_workers_are_woken_when_an_order_is_confirmed()
    {
        using var signal = new QueueSignals(db.Db, Microsoft.Extensions.Logging.Abstractions.NullLogger<QueueSignals>.Instance);
        await signal.StartAsync(CancellationToken.None);
        Assert.Equal(!throughPgBouncer, await signal.Probed); // a transaction-mode pooler passes no notifications: polling then

        var wait = signal.WaitForReadyAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        await QueueJobsAsync(1);
        var finished = await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(wait, finished);
        await signal.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_provider_callback_wakes_the_worker_polling_that_job_and_only_with_the_right_token()
    {
        var (_, jobs) = await QueueJobsAsync(1);
        var job = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, 5), j => j.Id == jobs[0]);
        await db.Queue.BeginProviderAttemptAsync(job.Lease, "kie", "secret-token", DateTime.UtcNow.AddMinutes(30));
        await db.Queue.RecordProviderTaskAsync(job.Lease, "task_cb", "key-a");
        using var signal = new QueueSignals(db.Db, Microsoft.Extensions.Logging.Abstractions.NullLogger<QueueSignals>.Instance);
        await signal.StartAsync(CancellationToken.None);
        await signal.Probed;

        Assert.Null(await db.Queue.RecordCallbackAsync("forged-token", "task_cb", "success"));
        var wait = signal.WaitForCallbackAsync(job.Id, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(job.Id, await db.Queue.RecordCallbackAsync("secret-token", "task_cb", "success"));
        var finished = await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(wait, finished);
        Assert.Equal("success", (await db.Queue.GetAsync(job.Id))!.ProviderState);
        await signal.StopAsync(CancellationToken.None);
    }
}
