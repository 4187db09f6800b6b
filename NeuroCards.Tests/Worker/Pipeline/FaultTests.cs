using Azure;
using NeuroCards.Core.Queue;
using NeuroCards.Tests.Fakes;
using NeuroCards.Worker.Pipeline;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Telegram.Bot.Exceptions;

namespace NeuroCards.Tests.Worker.Pipeline;

/// <summary>Faults in the middle of a job: a deploy's graceful stop, a stalled download, a job that keeps killing its workers.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private readonly WorkerHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task A_worker_stopped_during_a_paid_create_task_records_the_task_and_the_next_worker_resumes_it_without_paying_again()
    {
        h.Kie.Default = new KieScript { CreateDelayMs = 2500, Callbacks = 0 };
        var worker = await h.StartWorkerAsync(new Dictionary<string, string?> { ["Worker:ShutdownGraceSeconds"] = "20" });
        var (user, orderId, jobs) = await h.PlaceOrderAsync();
        await h.WaitForJobsAsync(orderId, _ => h.Kie.CreateCalls == 1);

        // A deploy: SIGTERM while createTask is on its way.
        await worker.StopAsync();
        await worker.DisposeAsync();

        var handedBack = (await h.Db.Queue.GetAsync(jobs[0]))!;
        Assert.Equal(JobStatus.Queued, handedBack.Status);
        Assert.NotNull(handedBack.ProviderTaskId);
        Assert.Equal(1, handedBack.Attempt);
        Assert.Null(handedBack.LeaseToken);

        await using var next = await h.StartWorkerAsync();
        await h.WaitAllFinishedAsync(orderId);

        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
        Assert.Equal(1, h.Kie.CreateCalls);
        Assert.Equal(0, await h.RefundsAsync(orderId));
        Assert.Single(await user.Transcript(), m => m.Video is not null);
    }

    [Fact]
    public async Task A_render_refused_whose_failure_could_not_be_recorded_is_not_paid_for_again_by_the_next_worker()
    {
        h.Kie.Default = new KieScript { Outcome = "fail", FailCode = "400", FailMsg = "Your image contains a real person (public figure). Content policy violation." };
        // The first write that fails the job is lost, as a deadlock victim's or a crashed worker's would be.
        await using (var conn = await h.Db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                create sequence lose_first_failure;
                create function lose_first_failure() returns trigger language plpgsql as $$
                begin if new.status = 'failed' and nextval('lose_first_failure') = 1 then raise exception 'the failure is lost'; end if; return new; end $$;
                create trigger lose_first_failure before update on jobs for each row execute function lose_first_failure();
                """);
        }
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?> { ["Worker:LeaseSeconds"] = "3" });
        var (_, orderId, _) = await h.PlaceOrderAsync();

        await h.WaitAllFinishedAsync(orderId, seconds: 60);

        Assert.Equal(("failed", "moderation"), Assert.Single(await h.JobsAsync(orderId)).Value);
        Assert.Equal(1, h.Kie.CreateCalls);
        Assert.Equal(1, await h.RefundsAsync(orderId));
    }

    [Fact]
    public async Task A_result_download_that_stalls_is_cut_off_retried_without_a_new_render_and_in_the_end_refunded()
    {
        h.Kie.Default = new KieScript { StallResult = true };
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?>
        {
            ["Worker:StoreTimeoutSeconds"] = "2",
            ["Worker:MaxFailures"] = "2",
            ["Worker:RetryBaseSeconds"] = "0.2",
        });
        var (user, orderId, _) = await h.PlaceOrderAsync();

        await h.WaitAllFinishedAsync(orderId, seconds: 60);

        Assert.Equal(("failed", "temporary"), Assert.Single(await h.JobsAsync(orderId)).Value);
        Assert.Equal(1, h.Kie.CreateCalls); // the paid render is not made again for a download that failed
        Assert.Equal(1, await h.RefundsAsync(orderId));
        var closing = await user.Expect("перегружена");
        Assert.Contains("Вернула 1 кредит", closing.Text);
    }

    [Fact]
    public async Task A_job_that_keeps_killing_its_workers_ends_refunded_instead_of_being_taken_for_ever()
    {
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?> { ["Worker:MaxTakeovers"] = "3" });
        var (user, orderId, jobs) = await h.PlaceOrderAsync();
        // As if three workers had died holding it: running, its lease run out, taken over three times already.
        await using (var conn = await h.Db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                update jobs set status = 'running', lease_owner = 'dead', lease_token = gen_random_uuid(),
                                locked_until = now() - interval '1 second', takeovers = 3 where id = @id
                """, new { id = jobs[0] });
        }

        await h.WaitAllFinishedAsync(orderId);

        var job = (await h.Db.Queue.GetAsync(jobs[0]))!;
        Assert.Equal((JobStatus.Failed, FailureClass.Unknown), (job.Status, job.Failure));
        Assert.Equal(4, job.Takeovers);
        Assert.Equal(1, await h.RefundsAsync(orderId));
        await user.Expect("Что-то пошло не так");
    }

    [Fact]
    public async Task A_stored_video_whose_workers_died_around_it_is_still_delivered()
    {
        var (user, orderId, jobs) = await h.PlaceOrderAsync();
        // Rendered and stored; then four workers died while it waited for its upload.
        var key = NeuroCards.Core.Storage.MediaKeys.Output(jobs[0]);
        await h.Storage.Store.PutAsync(key, File.OpenRead(await TestMedia.ResultVideoAsync()), "video/mp4");
        await using (var conn = await h.Db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                update jobs set final_prompt = 'p', result_key = @key, result_size = 1, succeeded_at = now(), stage = 'deliver',
                                lease_owner = 'dead', lease_token = gen_random_uuid(), locked_until = now() - interval '1 second', takeovers = 4
                where id = @id
                """, new { id = jobs[0], key });
        }
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?> { ["Worker:MaxTakeovers"] = "3" });

        await h.WaitAllFinishedAsync(orderId);

        Assert.Equal(JobStatus.Delivered, (await h.Db.Queue.GetAsync(jobs[0]))!.Status);
        Assert.Single(await user.Transcript(), m => m.Video is not null);
    }

    public static TheoryData<Exception, FailureClass> Exceptions => new()
    {
        { new TimeoutRejectedException(), FailureClass.Temporary },
        { new BrokenCircuitException(), FailureClass.Temporary },
        { new HttpRequestException("connection refused"), FailureClass.Temporary },
        { new IOException("connection reset"), FailureClass.Temporary },
        { new RequestFailedException(503, "server busy"), FailureClass.Temporary },
        { new RequestFailedException(0, "no response"), FailureClass.Temporary },
        { new RequestFailedException(404, "blob not found"), FailureClass.Unknown },
        { new ApiRequestException("Forbidden: bot was blocked by the user", 403), FailureClass.Blocked },
        { new ApiRequestException("Too Many Requests", 429), FailureClass.Temporary },
        { new ApiRequestException("Bad Request: wrong file", 400), FailureClass.Unknown },
        { new TaskCanceledException("a call that timed out"), FailureClass.Timeout },
        { new InvalidOperationException("something new"), FailureClass.Unknown },
        { new AggregateException(new HttpRequestException("refused")), FailureClass.Temporary },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Every_exception_a_stage_lets_out_gets_a_failure_class(Exception exception, FailureClass expected) =>
        Assert.Equal(expected, FailureClassifier.Classify(exception));
}
