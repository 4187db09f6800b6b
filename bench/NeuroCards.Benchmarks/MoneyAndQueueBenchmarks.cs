using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Data;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using NeuroCards.Tests.Infrastructure;
using Npgsql;

namespace NeuroCards.Benchmarks;

/// <summary>
/// The two hot paths of the money and queue core against a real local PostgreSQL 15 (fsync on):
/// confirming a 1-video order (charge + job in one transaction) and claiming a batch of jobs.
/// </summary>
[MemoryDiagnoser]
public class MoneyAndQueueBenchmarks
{
    private PostgresCluster _cluster = null!;
    private NpgsqlDataSource _db = null!;
    private Ledger _ledger = null!;
    private OrderConfirmation _orders = null!;
    private JobQueue _queue = null!;
    private long _user = 1;
    private readonly Queue<Guid> _drafts = new();

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _cluster = new PostgresCluster(Path.Combine(Path.GetTempPath(), "nc-bench-" + Guid.NewGuid().ToString("N")[..8]));
        await _cluster.StartAsync();
        _cluster.StopWhenProcessExits(Environment.ProcessId);
        var cs = _cluster.ConnectionString("bench");
        await DatabaseMigrator.MigrateAsync(cs, NullLogger.Instance);
        _db = NpgsqlDataSource.Create(cs);
        var data = DataLayer.Over(_db);
        (_ledger, _orders, _queue) = (data.Ledger, data.Orders, data.Queue);
        await _ledger.EnsureUserAsync(_user, null, "Bench", "ru");
        await _ledger.GrantAsync(_user, 1_000_000, "bench", 1);
    }

    [IterationSetup(Target = nameof(ConfirmOrder))]
    public void MakeDraft()
    {
        var id = Guid.CreateVersion7();
        using var conn = _db.OpenConnection();
        conn.Execute("""
            insert into orders (id, user_id, chat_id, photo_key, description, template, model, count)
            values (@id, @_user, @_user, 'inputs/x.jpg', 'A mug', 'ugc', 'seedance-2', 1)
            """, new { id, _user });
        _drafts.Enqueue(id);
    }

    [Benchmark(Description = "confirm a 1-video order (charge + job, one transaction)")]
    public async Task ConfirmOrder() => await _orders.ConfirmAsync(_drafts.Dequeue(), 1);

    [IterationSetup(Target = nameof(Claim20))]
    public void QueueJobs()
    {
        using var conn = _db.OpenConnection();
        conn.Execute("update jobs set status = 'delivered', telegram_file_id = 'x' where status in ('queued', 'running')");
        for (var i = 0; i < 20; i++) MakeDraft();
        while (_drafts.TryDequeue(out var order)) _orders.ConfirmAsync(order, 1).GetAwaiter().GetResult();
    }

    [Benchmark(Description = "claim 20 jobs (fair, capped, SKIP LOCKED)")]
    public async Task Claim20() => await _queue.ClaimAsync("bench", 20, TimeSpan.FromMinutes(1), perUserCap: 100);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _db.DisposeAsync();
        await _cluster.DisposeAsync();
    }
}
