using System.Diagnostics;
using Dapper;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace NeuroCards.QueueBench;

/// <summary>
/// The .NET job system a user would pick instead: Hangfire with its PostgreSQL storage, the same number of workers,
/// no-op jobs enqueued before the server starts.
/// </summary>
public sealed class HangfireQueue(string connectionString)
{
    private static int _done;
    private JobStorage? _storage;

    public static void Noop() => Interlocked.Increment(ref _done);

    public async Task<double> RunAsync(int jobs, int workers)
    {
        var storage = _storage ??= GlobalConfiguration.Configuration
            .UseSimpleAssemblyNameTypeSerializer()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(100), PrepareSchemaIfNecessary = true })
            .Entry;
        await using (var conn = new NpgsqlConnection(connectionString))
        {
            await conn.ExecuteAsync("""
                truncate hangfire.job, hangfire.state, hangfire.jobparameter, hangfire.jobqueue, hangfire.counter,
                         hangfire.aggregatedcounter, hangfire.hash, hangfire.set, hangfire.list cascade
                """);
        }
        var client = new BackgroundJobClient(storage);
        await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = workers }, (_, _) =>
        {
            client.Enqueue(() => Noop());
            return ValueTask.CompletedTask;
        });
        Volatile.Write(ref _done, 0);
        var started = Stopwatch.GetTimestamp();
        using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers, ServerName = "bench" }, storage))
        {
            while (Volatile.Read(ref _done) < jobs) await Task.Delay(5);
            return Volatile.Read(ref _done) / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
    }
}
