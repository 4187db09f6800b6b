using System.Collections.Concurrent;
using NeuroCards.Core.Money;
using NeuroCards.Core.Queue;

namespace NeuroCards.Tests.Queue;

// Each test gets its own database: claims see the whole queue, so tests must not see each other's jobs.
public sealed class JobQueueTests : IAsyncLifetime
{
    private readonly DatabaseFixture db = new();

    public Task InitializeAsync() => db.InitializeAsync();

    public Task DisposeAsync() => db.DisposeAsync();

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private async Task<(long UserId, IReadOnlyList<Guid> JobIds)> QueueJobsAsync(int orders, int perOrder = 1)
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Seller", "ru");
        await db.Ledger.GrantAsync(userId, orders * perOrder, "test", adminId: 1);
        var jobs = new List<Guid>();
        for (var i = 0; i < orders; i++)
        {
            var orderId = await TestData.DraftOrderAsync(db.DataSource, userId, count: perOrder);
            jobs.AddRange(Assert.IsType<ConfirmOrderResult.Confirmed>(await db.Ledger.ConfirmOrderAsync(orderId, 1)).JobIds);
        }
        return (userId, jobs);
    }

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

    [Fact]
    public async Task A_job_whose_lease_expired_is_claimed_again_by_another_worker()
    {
        var (_, jobs) = await QueueJobsAsync(1);
        var first = await db.Queue.ClaimAsync("crashed-worker", 100, TimeSpan.FromMilliseconds(200), perUserCap: 5);
        Assert.Contains(first, j => j.Id == jobs[0]);
        Assert.DoesNotContain(await db.Queue.ClaimAsync("other", 100, Lease, 5), j => j.Id == jobs[0]);

        await Task.Delay(400);
        var second = await db.Queue.ClaimAsync("other", 100, Lease, 5);

        var job = Assert.Single(second, j => j.Id == jobs[0]);
        Assert.Equal("other", job.LeaseOwner);
        // The crashed worker has lost it: nothing it writes lands.
        Assert.False(await db.Queue.RecordPromptAsync(jobs[0], "crashed-worker", "late"));
        Assert.Empty(await db.Queue.HeartbeatAsync([jobs[0]], "crashed-worker", Lease));
        Assert.Equal([jobs[0]], await db.Queue.HeartbeatAsync([jobs[0]], "other", Lease));
    }

    [Fact]
    public async Task A_job_due_later_is_not_claimed_until_then()
    {
        var (_, jobs) = await QueueJobsAsync(1);
        var claimed = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, 5), j => j.Id == jobs[0]);
        Assert.True(await db.Queue.RetryLaterAsync(claimed.Id, "w1", DateTime.UtcNow.AddMilliseconds(600), FailureClass.Temporary, "busy"));

        Assert.DoesNotContain(await db.Queue.ClaimAsync("w2", 100, Lease, 5), j => j.Id == jobs[0]);
        await Task.Delay(800);

        var again = Assert.Single(await db.Queue.ClaimAsync("w2", 100, Lease, 5), j => j.Id == jobs[0]);
        Assert.Equal(FailureClass.Temporary, again.ErrorClass);
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
        Assert.True(await db.Queue.RecordResultAsync(done.Id, done.LeaseOwner!, "outputs/x.mp4", 10, 10, 720, 1280));
        Assert.True(await db.Queue.CompleteAsync(done.Id, done.LeaseOwner!, "file-id"));
        var next = await db.Queue.ClaimAsync("w9", 10, Lease, perUserCap: 3);
        Assert.Equal(1, next.Count(j => j.UserId == busy));
    }

    [Fact]
    public async Task Failing_a_job_refunds_it_in_the_same_step_and_only_once()
    {
        var (userId, jobs) = await QueueJobsAsync(1);
        Assert.Equal(0, await TestData.BalanceAsync(db.DataSource, userId) - Ledger.SignUpBonus);
        var job = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, 5), j => j.Id == jobs[0]);

        var (owned, refund) = await db.Queue.FailAsync(job.Id, "w1", FailureClass.Moderation, "people in the photo");
        var (ownedAgain, _) = await db.Queue.FailAsync(job.Id, "w1", FailureClass.Moderation, "people in the photo");

        Assert.True(owned);
        Assert.Equal(RefundResult.Refunded, refund);
        Assert.False(ownedAgain);
        Assert.Equal(Ledger.SignUpBonus + 1, await TestData.BalanceAsync(db.DataSource, userId));
        var failed = await db.Queue.GetAsync(job.Id);
        Assert.Equal(JobStatus.Failed, failed!.Status);
        Assert.Equal(FailureClass.Moderation, failed.ErrorClass);
    }

    [Fact]
    public async Task A_job_with_its_video_stored_cannot_be_failed_and_refunded()
    {
        var (userId, jobs) = await QueueJobsAsync(1);
        var job = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, 5), j => j.Id == jobs[0]);
        await db.Queue.RecordResultAsync(job.Id, "w1", "outputs/v.mp4", 1000, 10, 720, 1280);

        var (owned, _) = await db.Queue.FailAsync(job.Id, "w1", FailureClass.Unknown, "telegram down");

        Assert.False(owned);
        Assert.Equal(Ledger.SignUpBonus, await TestData.BalanceAsync(db.DataSource, userId));
    }

    [Fact]
    public async Task Released_jobs_keep_their_recorded_steps_for_the_next_worker()
    {
        var (_, jobs) = await QueueJobsAsync(1);
        var job = Assert.Single(await db.Queue.ClaimAsync("w1", 100, Lease, 5), j => j.Id == jobs[0]);
        await db.Queue.RecordPromptAsync(job.Id, "w1", "A mug on a table");
        await db.Queue.BeginProviderAttemptAsync(job.Id, "w1", "kie", "tok", DateTime.UtcNow.AddMinutes(30));
        await db.Queue.RecordProviderTaskAsync(job.Id, "w1", "task_123", "key-a");

        Assert.True(await db.Queue.ReleaseAsync(job.Id, "w1"));
        var resumed = Assert.Single(await db.Queue.ClaimAsync("w2", 100, Lease, 5), j => j.Id == jobs[0]);

        Assert.Equal("A mug on a table", resumed.FinalPrompt);
        Assert.Equal("task_123", resumed.ProviderTaskId);
        Assert.Equal("key-a", resumed.ProviderKeyId);
        Assert.Equal(1, resumed.Attempt);
    }

    [Fact]
    public async Task Idle_workers_are_woken_when_an_order_is_confirmed()
    {
        using var signal = new QueueSignals(db.DataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<QueueSignals>.Instance);
        await signal.StartAsync(CancellationToken.None);
        await Task.Delay(300); // let LISTEN take effect

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
        await db.Queue.BeginProviderAttemptAsync(job.Id, "w1", "kie", "secret-token", DateTime.UtcNow.AddMinutes(30));
        await db.Queue.RecordProviderTaskAsync(job.Id, "w1", "task_cb", "key-a");
        using var signal = new QueueSignals(db.DataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<QueueSignals>.Instance);
        await signal.StartAsync(CancellationToken.None);
        await Task.Delay(300);

        Assert.Null(await db.Queue.RecordCallbackAsync("forged-token", "task_cb", "success"));
        var wait = signal.WaitForCallbackAsync(job.Id, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(job.Id, await db.Queue.RecordCallbackAsync("secret-token", "task_cb", "success"));
        var finished = await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(wait, finished);
        Assert.Equal("success", (await db.Queue.GetAsync(job.Id))!.ProviderState);
        await signal.StopAsync(CancellationToken.None);
    }
}
