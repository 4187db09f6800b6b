using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Data;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, started from the machine's initdb/postgres.
/// A template database is migrated once; every test class gets a fresh copy of it.
/// </summary>
public static class PostgresServer
{
    private const string TemplateDatabase = "nc_template";
    private static readonly Lazy<Task<PostgresCluster>> Cluster = new(StartAsync);
    private static readonly SemaphoreSlim CreateLock = new(1, 1);

    public static async Task<string> CreateDatabaseAsync(string? name = null)
    {
        var cluster = await Cluster.Value;
        name ??= "t_" + Guid.NewGuid().ToString("N")[..12];
        // CREATE DATABASE … TEMPLATE needs the template to have no other sessions; take turns.
        await CreateLock.WaitAsync();
        try
        {
            await cluster.CreateDatabaseAsync(name, TemplateDatabase);
        }
        finally
        {
            CreateLock.Release();
        }
        return cluster.ConnectionString(name);
    }

    private static string? _dataDir;

    /// <summary>
    /// Stops the cluster (if this run started one) and removes its files: called once every test has run
    /// (<see cref="TestServers"/>), before the runner returns — never from ProcessExit, where xunit v3's watchdog would
    /// count the wait against the process's exit.
    /// </summary>
    public static async Task StopAsync()
    {
        if (!Cluster.IsValueCreated) return;
        PostgresCluster cluster;
        try
        {
            cluster = await Cluster.Value;
        }
        catch (Exception)
        {
            return;
        }
        Npgsql.NpgsqlConnection.ClearAllPools();
        await cluster.DisposeAsync();
        try { if (_dataDir is not null) Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The test cluster's port (what a pooler in front of it connects to).</summary>
    public static async Task<int> PortAsync() => (await Cluster.Value).Port;

    /// <summary>An empty database with no schema (for the migration tests).</summary>
    public static async Task<string> CreateEmptyDatabaseNameAsync()
    {
        var cluster = await Cluster.Value;
        return cluster.ConnectionString("e_" + Guid.NewGuid().ToString("N")[..12]);
    }

    private static async Task<PostgresCluster> StartAsync()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"nc-test-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var cluster = new PostgresCluster(dataDir, fastUnsafe: true);
        await cluster.StartAsync();
        // A test host that crashes or is killed never reaches StopAsync: the watcher stops the server then.
        cluster.StopWhenProcessExits(Environment.ProcessId);
        _dataDir = dataDir;
        await DatabaseMigrator.MigrateAsync(cluster.ConnectionString(TemplateDatabase), NullLogger.Instance);
        Npgsql.NpgsqlConnection.ClearAllPools();
        return cluster;
    }
}
