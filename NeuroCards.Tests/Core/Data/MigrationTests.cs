using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Data;
using Npgsql;

namespace NeuroCards.Tests.Core.Data;

public sealed class MigrationTests
{
    private static async Task<List<string>> JournalAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        return (await conn.QueryAsync<string>("select scriptname from schemaversions order by scriptname")).AsList();
    }

    private static string[] Scripts() =>
        typeof(DatabaseMigrator).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("sql/")).Order().ToArray();

    [Fact]
    public async Task A_fresh_server_without_the_database_is_migrated_and_a_second_run_changes_nothing()
    {
        var connectionString = await PostgresServer.CreateEmptyDatabaseNameAsync();

        var first = await DatabaseMigrator.MigrateAsync(connectionString, NullLogger.Instance);
        var second = await DatabaseMigrator.MigrateAsync(connectionString, NullLogger.Instance);

        Assert.Equal(Scripts(), first);
        Assert.Empty(second);
        Assert.Equal(Scripts(), await JournalAsync(connectionString));
        await using var conn = new NpgsqlConnection(connectionString);
        Assert.Equal(4, await conn.ExecuteScalarAsync<int>("select count(*)::int from credit_packs"));
    }

    [Fact]
    public async Task Five_replicas_starting_together_run_each_script_once()
    {
        var connectionString = await PostgresServer.CreateEmptyDatabaseNameAsync();

        // Separate connections and pools, as five processes would have; the advisory lock is per session.
        var runs = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => Task.Run(() =>
            DatabaseMigrator.MigrateAsync(connectionString + $";Application Name=replica-{i}", NullLogger.Instance))));

        Assert.Single(runs, r => r.Count > 0);
        Assert.Equal(Scripts(), runs.Single(r => r.Count > 0));
        Assert.Equal(Scripts(), await JournalAsync(connectionString));
    }
}
