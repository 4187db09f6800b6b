using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Data;
using NeuroCards.QueueBench;
using NeuroCards.Tests.Infrastructure;
using Npgsql;

// dotnet run -c Release --project bench/NeuroCards.QueueBench -- [rounds=3] [jobs=20000] [only contenders whose name contains this] [workers=8]
// Every contender runs in this process against one PostgreSQL 15 cluster (fsync on), interleaved over rounds.
var rounds = args.Length > 0 ? int.Parse(args[0]) : 3;
var jobs = args.Length > 1 ? int.Parse(args[1]) : 20_000;
var only = args.Length > 2 ? args[2] : "";
var workers = args.Length > 3 ? int.Parse(args[3]) : 8;
var started = Stopwatch.GetTimestamp();

await using var cluster = new PostgresCluster(Path.Combine(Path.GetTempPath(), "nc-queuebench-" + Guid.NewGuid().ToString("N")[..8]));
await cluster.StartAsync();
cluster.StopWhenProcessExits(Environment.ProcessId);
var cs = cluster.ConnectionString("bench") + ";Maximum Pool Size=40";
await DatabaseMigrator.MigrateAsync(cs, NullLogger.Instance);
await using var db = NpgsqlDataSource.Create(cs);

var ours = new OurQueue(db);
var bare = new BareLoop(db);
var hangfire = new HangfireQueue(cs);
var results = new Results();
Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, PostgreSQL 15 (fsync on), {workers} workers, {rounds} rounds");

for (var round = 1; round <= rounds; round++)
{
    Console.WriteLine($"round {round}");
    await Measure($"NeuroCards, 1,000 users, {jobs / 1000}k queued", () => ours.RunAsync(users: 1000, backlog: jobs, process: jobs, workers));
    await Measure("NeuroCards, 1,000 users, 200k queued", () => ours.RunAsync(users: 1000, backlog: 200_000, process: jobs, workers));
    await Measure("NeuroCards, 1 user (cap 3)", () => ours.RunAsync(users: 1, backlog: jobs, process: jobs / 4, workers));
    await Measure($"Hangfire.PostgreSql 1.21.1, {jobs / 1000}k queued", () => hangfire.RunAsync(jobs, workers));
    await Measure($"bare SKIP LOCKED loop, {jobs / 1000}k queued", () => bare.RunAsync(jobs, workers));
}

async Task Measure(string name, Func<Task<double>> run)
{
    if (!name.Contains(only, StringComparison.OrdinalIgnoreCase)) return;
    var jobsPerSecond = await run();
    results.Add(name, jobsPerSecond);
    Console.WriteLine($"  {name}: {jobsPerSecond:N0} jobs/s");
}

Console.WriteLine();
results.Print();

var claim1k = await ours.ClaimCostAsync(users: 1000, backlog: 1_000);
var claim200k = await ours.ClaimCostAsync(users: 1000, backlog: 200_000);
Console.WriteLine();
Console.WriteLine($"claim 20 (one claimer, 1,000 users): {claim1k.Mean:F2} ms at 1k queued, {claim200k.Mean:F2} ms at 200k queued " +
                  $"({claim200k.Mean / claim1k.Mean:F2}x)");
Console.WriteLine();
Console.WriteLine("plan of the claim at 1k queued:");
Console.WriteLine(claim1k.Plan);
Console.WriteLine("plan of the claim at 200k queued:");
Console.WriteLine(claim200k.Plan);

var enqueue = new Enqueue(db);
var ordersPerSecond = await enqueue.OrdersPerSecondAsync(orders: 5_000, callers: workers);
var wake = await enqueue.WakeUpAsync(samples: 200);
Console.WriteLine($"enqueue (OrderConfirmation: charge + jobs, {workers} callers): {ordersPerSecond:N0} orders/s");
Console.WriteLine($"wake-up, commit of the order → its job claimed by an idle worker: p50 {wake.P50:F1} ms, p95 {wake.P95:F1} ms");
Console.WriteLine($"whole run: {Stopwatch.GetElapsedTime(started):mm\\:ss}");
