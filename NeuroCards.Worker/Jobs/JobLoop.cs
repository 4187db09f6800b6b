using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Queue;

namespace NeuroCards.Worker.Jobs;

/// <summary>
/// Claims jobs while it has free slots, runs each one on its own task, keeps every lease alive
/// with one batched heartbeat, and on shutdown hands unfinished jobs back to the queue.
/// </summary>
public sealed class JobLoop(
    JobQueue queue,
    QueueSignals signal,
    IJobProcessor processor,
    IOptions<WorkerOptions> options,
    ILogger<JobLoop> logger,
    JobMetrics metrics) : BackgroundService
{
    private readonly WorkerOptions _options = options.Value;
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public string WorkerId { get; } = options.Value.Id ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    public int InFlight => _running.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.ObserveInFlight(() => _running.Count);
        logger.LogInformation("Worker {WorkerId} taking up to {MaxInFlight} jobs", WorkerId, _options.MaxInFlight);
        using var slots = new SemaphoreSlim(_options.MaxInFlight, _options.MaxInFlight);
        var jobs = new List<Task>();
        var heartbeat = HeartbeatAsync(stoppingToken);
        var queueCounts = CountQueueAsync(stoppingToken);

        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<Job> claimed = [];
            var free = slots.CurrentCount;
            if (free > 0)
            {
                try
                {
                    claimed = await queue.ClaimAsync(WorkerId, Math.Min(free, _options.ClaimBatch), _options.Lease, _options.PerUserCap, stoppingToken);
                    if (claimed.Count > 0) metrics.Claimed(claimed.Count);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not claim jobs; retrying after the poll interval");
                }
            }

            foreach (var job in claimed)
            {
                await slots.WaitAsync(stoppingToken);
                var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                _running[job.Id] = cts;
                jobs.Add(RunAsync(job, cts, slots));
            }
            jobs.RemoveAll(t => t.IsCompleted);

            // A full batch means more may be waiting: claim again at once.
            if (claimed.Count == _options.ClaimBatch && slots.CurrentCount > 0) continue;
            try
            {
                await signal.WaitForReadyAsync(TimeSpan.FromSeconds(_options.PollSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Shutdown: give jobs a moment to reach a safe point, then release what is left.
        await Task.WhenAny(Task.WhenAll(jobs), Task.Delay(TimeSpan.FromSeconds(_options.ShutdownGraceSeconds)));
        foreach (var id in _running.Keys)
        {
            try
            {
                await queue.ReleaseAsync(id, WorkerId, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not release job {JobId}; its lease will expire instead", id);
            }
        }
        logger.LogInformation("Worker {WorkerId} stopped; released {Count} unfinished job(s)", WorkerId, _running.Count);
        await heartbeat;
        await queueCounts;
    }

    /// <summary>Jobs by state for the metrics, read every few seconds so the dashboard's chart follows the queue.</summary>
    private async Task CountQueueAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            do
            {
                try
                {
                    await metrics.Refresh(queue, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogDebug(e, "Could not count the queue for the metrics");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunAsync(Job job, CancellationTokenSource cts, SemaphoreSlim slots)
    {
        await Task.Yield();
        try
        {
            await processor.ProcessAsync(job, WorkerId, cts.Token);
            _running.TryRemove(job.Id, out _);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // Lease lost (someone else has the job now) or shutting down (released below): nothing more to do here.
        }
        catch (LeaseLostException)
        {
            logger.LogInformation("Job {JobId} moved to another worker; this one stops", job.Id);
            _running.TryRemove(job.Id, out _);
        }
        catch (Exception e)
        {
            // The processor handles expected failures itself; anything else waits out the lease and is retried.
            logger.LogError(e, "Job {JobId} stopped unexpectedly; it will be picked up again when its lease expires", job.Id);
            _running.TryRemove(job.Id, out _);
        }
        finally
        {
            cts.Dispose();
            slots.Release();
        }
    }

    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Lease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var ids = _running.Keys.ToArray();
                if (ids.Length == 0) continue;
                try
                {
                    var owned = await queue.HeartbeatAsync(ids, WorkerId, _options.Lease, stoppingToken);
                    foreach (var lost in ids.Where(id => !owned.Contains(id)))
                    {
                        // Finished meanwhile, or the lease expired and another worker took the job: stop touching it.
                        if (!_running.TryRemove(lost, out var cts)) continue;
                        try
                        {
                            await cts.CancelAsync();
                        }
                        catch (ObjectDisposedException)
                        {
                            // It finished on its own in the meantime.
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Heartbeat failed for {Count} job(s); will retry", ids.Length);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
