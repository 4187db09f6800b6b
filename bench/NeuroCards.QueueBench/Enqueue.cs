using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Data;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using Npgsql;

namespace NeuroCards.QueueBench;

/// <summary>Orders confirmed per second through the real charge-and-enqueue transaction, and how soon an idle worker sees one.</summary>
public sealed class Enqueue(NpgsqlDataSource db)
{
    private readonly OrderConfirmation _orders = DataLayer.Over(db).Orders;
    private readonly JobQueue _queue = DataLayer.Over(db).Queue;

    public async Task<double> OrdersPerSecondAsync(int orders, int callers)
    {
        var drafts = await DraftsAsync(users: 1000, orders);
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < drafts.Count)
            {
                if (await _orders.ConfirmAsync(drafts[i], 1) is not ConfirmOrderResult.Confirmed) throw new InvalidOperationException("not confirmed");
            }
        })));
        return drafts.Count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>
    /// An idle worker waits on <see cref="QueueSignals"/> as the real one does; the time runs from the moment the order's
    /// transaction has committed to the moment the claim returned its job.
    /// </summary>
    public async Task<(double P50, double P95)> WakeUpAsync(int samples)
    {
        var drafts = await DraftsAsync(users: 1, samples);
        using var signals = new QueueSignals(new Db(db), NullLogger<QueueSignals>.Instance);
        await signals.StartAsync(CancellationToken.None);
        await signals.Probed;
        var latencies = new List<double>();
        foreach (var draft in drafts)
        {
            var claimed = Task.Run(async () =>
            {
                while (true)
                {
                    var ready = signals.NextReady;
                    var batch = await _queue.ClaimAsync("idle", 20, TimeSpan.FromMinutes(5), 3);
                    if (batch.Count > 0) return (Stopwatch.GetTimestamp(), batch);
                    await signals.WaitForReadyAsync(TimeSpan.FromSeconds(5), CancellationToken.None, ready);
                }
            });
            await Task.Delay(20); // the worker is asleep before the order comes
            await _orders.ConfirmAsync(draft, 1);
            var committed = Stopwatch.GetTimestamp();
            var (at, jobs) = await claimed;
            latencies.Add(Stopwatch.GetElapsedTime(committed, at).TotalMilliseconds);
            foreach (var job in jobs) await _queue.CompleteAsync(job.Lease, "file-id");
        }
        await signals.StopAsync(CancellationToken.None);
        latencies.Sort();
        return (Results.Percentile(latencies, 0.5), Results.Percentile(latencies, 0.95));
    }

    private async Task<List<Guid>> DraftsAsync(int users, int orders)
    {
        await OurQueue.EmptyAsync(db);
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            insert into users (id, first_name) select g, 'bench' from generate_series(1, @users) g;
            insert into ledger (user_id, amount, kind, admin_id, reason) select g, 1000000, 'grant', 1, 'bench' from generate_series(1, @users) g;
            update users set balance = 1000000;
            """, new { users });
        return (await conn.QueryAsync<Guid>("""
            insert into orders (id, user_id, chat_id, photo_key, description, template, model, count)
            select gen_random_uuid(), 1 + g % @users, 1 + g % @users, 'inputs/x.jpg', 'A mug', 'ugc', 'seedance-2', 1
            from generate_series(1, @orders) g
            returning id
            """, new { users, orders })).ToList();
    }
}
