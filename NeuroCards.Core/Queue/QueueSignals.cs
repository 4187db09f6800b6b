using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroCards.Core.Data;
using Npgsql;

namespace NeuroCards.Core.Queue;

/// <summary>
/// Wakes workers through PostgreSQL LISTEN/NOTIFY: idle workers when jobs become ready, and the
/// worker polling a provider task when its callback arrived. Notifications are only hints: every
/// wait also ends on a timeout, so a lost notification or a dropped connection costs one poll
/// interval, never a job.
/// <para>
/// Through a transaction-mode pooler (PgBouncer, Supabase's port 6543) LISTEN is accepted and then nothing ever arrives.
/// So listening goes through <c>ConnectionStrings__neurocards-direct</c> when it is set (a direct or session-mode
/// connection), and every start sends itself a probe: when the probe does not come back, waits fall back to polling —
/// the queue every <see cref="FastPoll"/>, a callback's job row every <see cref="FastPoll"/> too.
/// </para>
/// </summary>
public sealed class QueueSignals(Db db, ILogger<QueueSignals> logger, string? listenConnectionString = null) : BackgroundService
{
    public static readonly TimeSpan FastPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _callbacks = new();
    private readonly TaskCompletionSource<bool> _probed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _probe;
    private string _probeId = "";

    /// <summary>Whether notifications arrive here (true until a probe says otherwise).</summary>
    public bool NotificationsWork { get; private set; } = true;

    /// <summary>Completes once the first probe has told whether notifications arrive.</summary>
    public Task<bool> Probed => _probed.Task;

    /// <summary>
    /// The next "jobs ready" pulse. Take it before looking at the queue and wait on it after: a pulse that arrives while
    /// the claim runs then ends the wait at once instead of being lost until the poll.
    /// </summary>
    public Task NextReady => Volatile.Read(ref _ready).Task;

    /// <summary>
    /// Completes on the "jobs ready" pulse <paramref name="since"/> (taken from <see cref="NextReady"/> before the claim;
    /// the next one when not given) or after <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitForReadyAsync(TimeSpan timeout, CancellationToken cancellationToken, Task? since = null)
    {
        if (!NotificationsWork && timeout > FastPoll) timeout = FastPoll;
        var next = since ?? Volatile.Read(ref _ready).Task;
        await Task.WhenAny(next, Task.Delay(timeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Completes when a provider callback for <paramref name="jobId"/> arrives, or after <paramref name="timeout"/>.</summary>
    public async Task WaitForCallbackAsync(Guid jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!NotificationsWork)
        {
            await PollCallbackAsync(jobId, timeout, cancellationToken);
            return;
        }
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

    /// <summary>No notifications here: a callback shows as the job's provider state changing (the callback endpoint records it).</summary>
    private async Task PollCallbackAsync(Guid jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A connection per look, not one held for the whole wait: hundreds of renders wait at once.
        Task<string?> StateAsync() => db.ScalarAsync<string?>("select provider_state from jobs where id = @jobId", new { jobId }, cancellationToken);
        var deadline = DateTime.UtcNow + timeout;
        var before = await StateAsync();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(FastPoll, cancellationToken);
            if (await StateAsync() != before) return;
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
            if (payload.Length > 0 && payload == _probeId) _probe?.TrySetResult();
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
                await using var conn = await OpenListenerAsync(stoppingToken);
                conn.Notification += (_, e) => OnNotification(e.Channel, e.Payload);
                await using (var listen = new NpgsqlCommand($"listen {JobQueue.ReadyChannel}; listen {JobQueue.CallbackChannel}", conn))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                var listening = ListenAsync(conn, stoppingToken);
                await ProbeAsync(stoppingToken);
                // Anything that happened while we were not listening: look now.
                PulseReady();
                foreach (var tcs in _callbacks.Values) tcs.TrySetResult();
                await listening;
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

    private async Task<NpgsqlConnection> OpenListenerAsync(CancellationToken stoppingToken)
    {
        if (listenConnectionString is not { Length: > 0 }) return await db.OpenOwnConnectionAsync(stoppingToken);
        var conn = new NpgsqlConnection(listenConnectionString);
        await conn.OpenAsync(stoppingToken);
        return conn;
    }

    private static async Task ListenAsync(NpgsqlConnection conn, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested) await conn.WaitAsync(stoppingToken);
    }

    /// <summary>Sends a notification from another connection and sees whether it comes back to the listening one.</summary>
    private async Task ProbeAsync(CancellationToken stoppingToken)
    {
        _probe = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _probeId = "probe-" + Guid.NewGuid().ToString("N");
        await db.ExecuteAsync($"select pg_notify('{JobQueue.ReadyChannel}', @id)", new { id = _probeId }, stoppingToken);
        var arrived = await Task.WhenAny(_probe.Task, Task.Delay(ProbeWait, stoppingToken)) == _probe.Task;
        if (!arrived && NotificationsWork)
        {
            logger.LogWarning("Queue notifications do not arrive through this connection (a transaction-mode pooler?): polling every {FastPoll} ms. "
                              + "Set ConnectionStrings__neurocards-direct to a direct or session-mode connection for instant wake-ups", FastPoll.TotalMilliseconds);
        }
        NotificationsWork = arrived;
        _probed.TrySetResult(arrived);
    }
}
