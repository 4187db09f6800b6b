using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace NeuroCards.Core.Queue;

/// <summary>
/// Wakes workers through PostgreSQL LISTEN/NOTIFY: idle workers when jobs become ready, and the
/// worker polling a provider task when its callback arrived. Notifications are only hints: every
/// wait also ends on a timeout, so a lost notification or a dropped connection costs one poll
/// interval, never a job.
/// </summary>
public sealed class QueueSignals(NpgsqlDataSource dataSource, ILogger<QueueSignals> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _callbacks = new();
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes on the next "jobs ready" notification or after <paramref name="timeout"/>.</summary>
    public async Task WaitForReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _ready).Task;
        await Task.WhenAny(next, Task.Delay(timeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Completes when a provider callback for <paramref name="jobId"/> arrives, or after <paramref name="timeout"/>.</summary>
    public async Task WaitForCallbackAsync(Guid jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tcs = _callbacks.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await Task.WhenAny(tcs.Task, Task.Delay(timeout, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            _callbacks.TryRemove(KeyValuePair.Create(jobId, tcs));
        }
    }

    public void PulseReady()
    {
        var previous = Interlocked.Exchange(ref _ready, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }

    private void OnNotification(string channel, string payload)
    {
        if (channel == JobQueue.ReadyChannel)
        {
            PulseReady();
        }
        else if (channel == JobQueue.CallbackChannel && Guid.TryParse(payload, out var jobId) && _callbacks.TryGetValue(jobId, out var tcs))
        {
            tcs.TrySetResult();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(stoppingToken);
                conn.Notification += (_, e) => OnNotification(e.Channel, e.Payload);
                await using (var listen = new NpgsqlCommand($"listen {JobQueue.ReadyChannel}; listen {JobQueue.CallbackChannel}", conn))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Anything that happened while we were not listening: look now.
                PulseReady();
                foreach (var tcs in _callbacks.Values) tcs.TrySetResult();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await conn.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                logger.LogWarning(e, "Lost the queue notification connection; falling back to polling until it is back");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }
}
