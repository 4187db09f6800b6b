using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using NeuroCards.Worker;
using NeuroCards.Worker.Jobs;
using NeuroCards.Worker.Pipeline;

namespace NeuroCards.Tests.Worker.Jobs;

public sealed class JobLoopTests : IAsyncLifetime
{
    private readonly DatabaseFixture db = new();

    public ValueTask InitializeAsync() => db.InitializeAsync();

    public ValueTask DisposeAsync() => db.DisposeAsync();

    /// <summary>Holds every job it gets until cancelled, after recording a prompt.</summary>
    private sealed class HoldingProcessor(JobQueue queue) : IJobProcessor
    {
        public ConcurrentDictionary<Guid, int> Seen { get; } = new();

        public async Task ProcessAsync(Job job, CancellationToken stopping, CancellationToken cancellationToken)
        {
            Seen.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
            if (job.FinalPrompt is null) await queue.RecordPromptAsync(job.Lease, "prompt " + job.Index, cancellationToken: CancellationToken.None);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private JobLoop NewLoop(IJobProcessor processor, QueueSignals signals, int maxInFlight, int leaseSeconds = 30, IMeterFactory? meters = null) =>
        new(db.Queue, signals, processor,
            Options.Create(new WorkerOptions { MaxInFlight = maxInFlight, PerUserCap = 100, LeaseSeconds = leaseSeconds, PollSeconds = 0.2, ShutdownGraceSeconds = 0 }),
            NullLogger<JobLoop>.Instance,
            new JobMetrics(meters ?? NewMeterFactory()));

    private static IMeterFactory NewMeterFactory() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    private async Task<IReadOnlyList<Guid>> QueueAsync(int count)
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Seller", "ru");
        await db.Ledger.GrantAsync(userId, count, "test", 1);
        var ids = new List<Guid>();
        for (var i = 0; i < count; i += 5)
        {
            var order = await TestData.DraftOrderAsync(db.DataSource, userId, count: 5);
            ids.AddRange(Assert.IsType<ConfirmOrderResult.Confirmed>(await db.Orders.ConfirmAsync(order, 1)).JobIds);
        }
        return ids;
    }

    private async Task<int> CountAsync(string where)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>($"select count(*)::int from jobs where {where}");
    }

    [Fact]
    public async Task A_worker_carries_no_more_jobs_than_its_limit_and_releases_them_all_on_shutdown()
    {
        var jobs = await QueueAsync(30);
        using var signals = new QueueSignals(db.Db, NullLogger<QueueSignals>.Instance);
        await signals.StartAsync(CancellationToken.None);
        var processor = new HoldingProcessor(db.Queue);
        var loop = NewLoop(processor, signals, maxInFlight: 12);

        await loop.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(async () => await CountAsync("final_prompt is not null") == 12);
        await Task.Delay(500);
        Assert.Equal(12, await CountAsync("status = 'running'"));
        await loop.StopAsync(CancellationToken.None);

        Assert.Equal(0, await CountAsync("status = 'running' or lease_owner is not null"));
        Assert.Equal(30, await CountAsync("status = 'queued'"));
        // What was done is kept for the next worker.
        Assert.Equal(12, await CountAsync("final_prompt is not null"));
        Assert.All(processor.Seen.Values, n => Assert.Equal(1, n));
        Assert.Equal(30, jobs.Count);
        await signals.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Another_worker_takes_over_the_jobs_of_one_that_stopped()
    {
        await QueueAsync(5);
        using var signals = new QueueSignals(db.Db, NullLogger<QueueSignals>.Instance);
        await signals.StartAsync(CancellationToken.None);
        var first = new HoldingProcessor(db.Queue);
        var loop1 = NewLoop(first, signals, maxInFlight: 10);
        await loop1.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(async () => await CountAsync("final_prompt is not null") == 5);
        await loop1.StopAsync(CancellationToken.None);

        var second = new HoldingProcessor(db.Queue);
        var loop2 = NewLoop(second, signals, maxInFlight: 10);
        await loop2.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(async () => second.Seen.Count == 5);

        Assert.Equal(first.Seen.Keys.Order(), second.Seen.Keys.Order());
        Assert.Equal(5, await CountAsync($"status = 'running' and lease_owner = '{loop2.WorkerId}'"));
        await loop2.StopAsync(CancellationToken.None);
        await signals.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_queue_shows_in_the_metrics_the_dashboard_charts_jobs_by_state_claims_and_jobs_in_flight()
    {
        await QueueAsync(10);
        var meters = NewMeterFactory();
        var latest = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this worker's meter: other tests run workers of their own at the same time.
            if (instrument.Meter.Scope == meters) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => latest.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            var state = tags.ToArray().FirstOrDefault(t => t.Key == "state").Value as string;
            latest[state is null ? instrument.Name : $"{instrument.Name}:{state}"] = value;
        });
        listener.Start();
        using var signals = new QueueSignals(db.Db, NullLogger<QueueSignals>.Instance);
        await signals.StartAsync(CancellationToken.None);
        var loop = NewLoop(new HoldingProcessor(db.Queue), signals, maxInFlight: 4, meters: meters);

        await loop.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(async () => await CountAsync("status = 'running'") == 4);
        await Eventually.HoldsAsync(() =>
        {
            listener.RecordObservableInstruments();
            return Task.FromResult(latest.GetValueOrDefault("neurocards.jobs.by_state:running") == 4 && latest.GetValueOrDefault("neurocards.jobs.by_state:queued") == 6);
        }, seconds: 15);

        Assert.Equal(4, latest["neurocards.jobs.claimed"]);
        Assert.Equal(4, latest["neurocards.worker.jobs_in_flight"]);
        await loop.StopAsync(CancellationToken.None);
        await signals.StopAsync(CancellationToken.None);
    }
}
