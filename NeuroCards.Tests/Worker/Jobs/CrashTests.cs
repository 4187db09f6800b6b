using NeuroCards.Tests.Fakes;

namespace NeuroCards.Tests.Worker.Jobs;

/// <summary>The worker process is killed (not stopped) at each step; a new one finishes every job exactly once.</summary>
public sealed class CrashTests : IAsyncLifetime
{
    private readonly WorkerHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    public static TheoryData<string> Boundaries => new() { "writing the prompt", "render task created", "video stored" };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public async Task A_worker_killed_mid_job_is_replaced_and_the_job_finishes_once(string boundary)
    {
        h.Kie.Default = new KieScript { RenderMs = 2500, Callbacks = 0 };
        // The model takes its time: the first worker dies while it waits for the prompt.
        if (boundary == "writing the prompt") h.OpenAi.Mode = "slow";
        if (boundary == "video stored") await h.Telegram.InjectFaultAsync("sendVideo", "slow", count: 1, delayMs: 8000);
        var settings = h.Settings();
        var (user, orderId, jobs) = await h.PlaceOrderAsync(count: 1);
        var jobId = jobs[0];
        var first = ServiceProcess.Start("NeuroCards.Worker", settings);

        var condition = boundary switch
        {
            "writing the prompt" => "stage = 'prompt'",
            "render task created" => "provider_task_id is not null",
            _ => "result_key is not null",
        };
        await WaitForAsync($"select count(*)::int from jobs where id = '{jobId}' and {condition}", 1);
        first.Kill();
        h.OpenAi.Mode = "ok";
        await using var second = ServiceProcess.Start("NeuroCards.Worker", settings);
        await h.WaitAllFinishedAsync(orderId, seconds: 90);

        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
        Assert.Equal(1, h.Kie.CreateCalls);
        Assert.Equal(0, await h.RefundsAsync(orderId));
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("select count(*)::int from ledger where order_id = @orderId and kind = 'charge'", new { orderId }));
        var videos = (await user.Transcript()).Count(m => m.Video is not null);
        Assert.Equal(1, videos);
    }

    private async Task WaitForAsync(string sql, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using (var conn = await h.Db.DataSource.OpenConnectionAsync())
            {
                if (await conn.ExecuteScalarAsync<int>(sql) == expected) return;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException(sql);
            await Task.Delay(20);
        }
    }
}
