using System.Diagnostics;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Data;
using NeuroCards.Core.Queue;
using Npgsql;

namespace NeuroCards.QueueBench;

/// <summary>
/// NeuroCards' <see cref="JobQueue"/> as the worker uses it: claim a batch of 20 under a per-user cap of 3, complete
/// each job with its lease, sleep on <see cref="QueueSignals"/> when nothing is claimable.
/// </summary>
public sealed class OurQueue(NpgsqlDataSource db)
{
    private const int Batch = 20;
    private const int Cap = 3;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly JobQueue _queue = DataLayer.Over(db).Queue;

    /// <summary>A backlog of <paramref name="backlog"/> queued jobs spread evenly over <paramref name="users"/> users.</summary>
    public async Task FillAsync(int users, int backlog)
    {
        await EmptyAsync(db);
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            insert into users (id, first_name) select g, 'bench' from generate_series(1, @users) g;
            insert into orders (id, user_id, chat_id, status, photo_key, description, template, model, count)
            select gen_random_uuid(), g, g, 'confirmed', 'inputs/x.jpg', 'A mug', 'ugc', 'seedance-2', 1 from generate_series(1, @users) g;
            insert into jobs (id, order_id, user_id, chat_id, index, photo_key, description, template, model, language, created_at, not_before)
            select gen_random_uuid(), o.id, o.user_id, o.chat_id, k, 'inputs/x.jpg', 'A mug', 'ugc', 'seedance-2', 'ru',
                   now() - interval '1 hour' + (k * @users + o.user_id) * interval '1 microsecond', now() - interval '1 hour'
            from orders o, generate_series(0, @perUser - 1) k;
            """, new { users, perUser = backlog / users }, commandTimeout: 600);
        foreach (var table in new[] { "jobs", "queue_users", "orders" }) await conn.ExecuteAsync($"vacuum analyze {table}", commandTimeout: 600);
    }

    /// <summary>No users, orders, jobs or turns left from the contender before.</summary>
    public static async Task EmptyAsync(NpgsqlDataSource db)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("truncate jobs, orders, ledger, conversations, users, queue_users cascade", commandTimeout: 600);
    }

    public async Task<double> RunAsync(int users, int backlog, int process, int workers)
    {
        await FillAsync(users, backlog);
        using var signals = new QueueSignals(new Db(db), NullLogger<QueueSignals>.Instance);
        await signals.StartAsync(CancellationToken.None);
        await signals.Probed;
        var done = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            while (Volatile.Read(ref done) < process)
            {
                var ready = signals.NextReady;
                var batch = await _queue.ClaimAsync($"bench-{w}", Batch, Lease, Cap);
                if (batch.Count == 0)
                {
                    await signals.WaitForReadyAsync(TimeSpan.FromSeconds(1), CancellationToken.None, ready);
                    continue;
                }
                foreach (var job in batch) await _queue.CompleteAsync(job.Lease, "file-id");
                Interlocked.Add(ref done, batch.Count);
            }
        })));
        var rate = done / Stopwatch.GetElapsedTime(started).TotalSeconds;
        await signals.StopAsync(CancellationToken.None);
        return rate;
    }

    /// <summary>
    /// One claimer alone: the mean time of a claim of 20, each batch handed back (released) before the next so the
    /// backlog stays as it was, and the claim's plan.
    /// </summary>
    public async Task<(double Mean, string Plan)> ClaimCostAsync(int users, int backlog)
    {
        await FillAsync(users, backlog);
        for (var i = 0; i < 20; i++) await ClaimAndReleaseAsync(); // warm
        var total = TimeSpan.Zero;
        const int claims = 200;
        for (var i = 0; i < claims; i++) total += await ClaimAndReleaseAsync();

        // The claim runs inside a function: auto_explain shows the plan of the statement in it, sent back as notices.
        await using var conn = await db.OpenConnectionAsync();
        var plan = new StringBuilder();
        conn.Notice += (_, e) => plan.AppendLine(e.Notice.MessageText);
        await conn.ExecuteAsync("""
            load 'auto_explain';
            set auto_explain.log_min_duration = 0;
            set auto_explain.log_analyze = on;
            set auto_explain.log_buffers = on;
            set auto_explain.log_timing = on;
            set auto_explain.log_nested_statements = on;
            set client_min_messages = log;
            """);
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await conn.QueryAsync(JobQueue.ClaimSql, new { workerId = "explain", lease = Lease, perUserCap = Cap, max = Batch }, tx);
            await tx.RollbackAsync();
        }
        await conn.ExecuteAsync("set client_min_messages = notice; set auto_explain.log_min_duration = -1");
        return (total.TotalMilliseconds / claims, plan.ToString());
    }

    private async Task<TimeSpan> ClaimAndReleaseAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var batch = await _queue.ClaimAsync("bench", Batch, Lease, Cap);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (batch.Count != Batch) throw new InvalidOperationException($"claimed {batch.Count} of {Batch}");
        foreach (var job in batch) await _queue.ReleaseAsync(job.Lease);
        return elapsed;
    }
}
