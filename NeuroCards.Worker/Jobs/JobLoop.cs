using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Queue;
using NeuroCards.Worker.Pipeline;

namespace NeuroCards.Worker.Jobs;

/// <summary>
/// Claims jobs while it has free slots, runs each one on its own task, keeps every lease alive with one batched
/// heartbeat, and stops gracefully: no more claims, waiting jobs handed back at once, jobs in a paid or delivering
/// step given the grace period to finish, the rest cancelled and released.
/// </summary>
public sealed class JobLoop(
    JobQueue queue,
    QueueSignals signal,
    IJobProcessor processor,
    IOptions<WorkerOptions> options,
    ILogger<JobLoop> logger,
    JobMetrics metrics) : BackgroundService
{
    private sealed record Running(JobLease Lease, CancellationTokenSource Abort);

    private readonly WorkerOptions _options = options.Value;

    // Keyed by the claim's lease token, not the job id: a job this process claims again (its old lease ran out) is a
    // new entry, and the old run's writes are refused by the queue.
    private readonly ConcurrentDictionary<Guid, Running> _running = new();

    public string WorkerId { get; } = options.Value.Id ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    public int InFlight => _running.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.ObserveInFlight(() => _running.Count);
        logger.LogInformation("Worker {WorkerId} taking up to {MaxInFlight} jobs", WorkerId, _options.MaxInFlight);
        using var slots = new SemaphoreSlim(_options.MaxInFlight, _options.MaxInFlight);
        var jobs = new List<Task>();
        // Leases are kept alive until the last job has finished or been released, past the stop request.
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(heartbeatStop.Token);
        var queueCounts = CountQueueAsync(stoppingToken);

        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<Job> claimed = [];
            var ready = signal.NextReady;
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
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            foreach (var job in claimed)
            {
                // Never blocks: no more were claimed than there were free slots, and only this loop takes them.
                await slots.WaitAsync(CancellationToken.None);
                var abort = new CancellationTokenSource();
                _running[job.Lease.Token] = new Running(job.Lease, abort);
                jobs.Add(RunAsync(job, abort, slots, stoppingToken));
            }
            jobs.RemoveAll(t => t.IsCompleted);

            // A full batch means more may be waiting: claim again at once.
            if (claimed.Count == _options.ClaimBatch && slots.CurrentCount > 0) continue;
            try
            {
                await signal.WaitForReadyAsync(TimeSpan.FromSeconds(_options.PollSeconds), stoppingToken, ready);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Shutdown. The jobs have heard the stop request: those only waiting hand their jobs back at once, those in a
        // paid or delivering step finish it (a createTask cancelled here would be paid for twice).
        var grace = Task.Delay(TimeSpan.FromSeconds(_options.ShutdownGraceSeconds), CancellationToken.None);
        await Task.WhenAny(Task.WhenAll(jobs), grace);
        var late = _running.Values.ToArray();
        foreach (var running in late) await CancelQuietlyAsync(running.Abort);
        await Task.WhenAny(Task.WhenAll(jobs), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        foreach (var running in _running.Values)
        {
            try
            {
                await queue.ReleaseAsync(running.Lease, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not release job {JobId}; its lease will expire instead", running.Lease.JobId);
            }
        }
        logger.LogInformation("Worker {WorkerId} stopped; {Late} job(s) cut short by the end of the grace period and released", WorkerId, late.Length);
        await heartbeatStop.CancelAsync();
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

    private async Task RunAsync(Job job, CancellationTokenSource abort, SemaphoreSlim slots, CancellationToken stopping)
    {
        await Task.Yield();
        var token = job.Lease.Token;
        try
        {
            await processor.ProcessAsync(job, stopping, abort.Token);
            _running.TryRemove(token, out _);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Lease lost (the heartbeat already let it go) or the grace period ran out (released by the loop).
        }
        catch (LeaseLostException)
        {
            logger.LogInformation("Job {JobId} moved to another claim; this one stops", job.Id);
            _running.TryRemove(token, out _);
        }
        catch (Exception e)
        {
            // The stage runner handles failures itself; what gets here is the queue itself failing (database down).
            // The lease runs out and the job is taken again, counted as a takeover.
            logger.LogError(e, "Job {JobId} stopped unexpectedly; it will be picked up again when its lease expires", job.Id);
            _running.TryRemove(token, out _);
        }
        finally
        {
            abort.Dispose();
            slots.Release();
        }
    }

    private async Task HeartbeatAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.Lease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var leases = _running.Values.Select(r => r.Lease).ToArray();
                if (leases.Length == 0) continue;
                try
                {
                    var held = await queue.HeartbeatAsync(leases, _options.Lease, stop);
                    foreach (var lost in leases.Where(l => !held.Contains(l.Token)))
                    {
                        // Finished meanwhile, or the lease expired and the job was claimed again: stop its work.
                        if (_running.TryRemove(lost.Token, out var running)) await CancelQuietlyAsync(running.Abort);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Heartbeat failed for {Count} job(s); will retry", leases.Length);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task CancelQuietlyAsync(CancellationTokenSource cts)
    {
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
