using NeuroCards.Tests.Fakes;

namespace NeuroCards.Tests.Worker.Jobs;

/// <summary>Workers as separate processes (as on several hosts) sharing one queue.</summary>
public sealed class WorkerProcessesTests : IAsyncLifetime
{
    private readonly WorkerHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task Three_worker_processes_share_the_queue_and_deliver_each_video_once()
    {
        h.Kie.Default = new KieScript { RenderMs = 1500, Callbacks = 0 };
        var settings = h.Settings();
        // Few jobs in hand each: the queue, not the first worker to wake, decides who gets what.
        settings["Worker:MaxInFlight"] = "4";
        var orders = new List<(Guid OrderId, TelegramEmulator.Client.EmulatorUser User)>();
        // One video per order: a video waiting for its earlier siblings would only measure that wait.
        for (var i = 0; i < 12; i++)
        {
            var (user, orderId, _) = await h.PlaceOrderAsync(count: 1);
            orders.Add((orderId, user));
        }
        var workers = Enumerable.Range(0, 3).Select(_ => ServiceProcess.Start("NeuroCards.Worker", settings)).ToList();
        try
        {
            foreach (var (orderId, _) in orders) await h.WaitAllFinishedAsync(orderId, seconds: 120);

            foreach (var (orderId, user) in orders)
            {
                Assert.All((await h.JobsAsync(orderId)).Values, j => Assert.Equal("delivered", j.Status));
                Assert.Single(await user.Transcript(), m => m.Video is not null);
            }
            // 12 videos over 3 workers: each did a real share (a fair split is 4).
            var delivered = workers.Select(w => w.Output.Count(l => l.Contains(" delivered ("))).ToList();
            Assert.Equal(12, delivered.Sum());
            Assert.All(delivered, n => Assert.InRange(n, 2, 7));
        }
        finally
        {
            foreach (var worker in workers) await worker.DisposeAsync();
        }
    }
}
