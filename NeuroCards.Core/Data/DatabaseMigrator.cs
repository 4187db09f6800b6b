using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace NeuroCards.Core.Data;

/// <summary>
/// Applies the numbered scripts in sql/ with DbUp. Every replica calls this on start; a PostgreSQL advisory lock makes
/// the replicas take turns, so each script runs exactly once. The lock is transaction-scoped and held by an open
/// transaction for the whole run: through a transaction-mode pooler (PgBouncer, Supabase's port 6543) a session lock
/// taken and released in separate statements can land on different server connections and never be released, while
/// an open transaction keeps its server connection until it ends.
/// </summary>
public static class DatabaseMigrator
{
    // Any constant works; it only has to be the same for every process sharing the database.
    private const long MigrationLockKey = 0x4E43_4D49_4752; // "NCMIGR"

    public static async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        await EnsureDatabaseAsync(connectionString, cancellationToken);
        // The lock and DbUp each need a connection, once at start: unpooled, so they neither wait on a small pool
        // (Maximum Pool Size=1 would deadlock them) nor leave idle connections behind.
        connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using var hold = await lockConnection.BeginTransactionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("select pg_advisory_xact_lock(@k)", lockConnection, hold))
        {
            take.Parameters.AddWithValue("k", MigrationLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.StartsWith("sql/", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .JournalToPostgresqlTable("public", "schemaversions")
            .LogTo(new DbUpLogger(logger))
            .Build();

        var result = upgrader.PerformUpgrade();
        // Ending the transaction releases the lock, whatever happened.
        await hold.CommitAsync(CancellationToken.None);
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error.Message}", result.Error);
        }
        var applied = result.Scripts.Select(s => s.Name).ToList();
        if (applied.Count > 0)
        {
            logger.LogInformation("Applied {Count} migration(s): {Scripts}", applied.Count, string.Join(", ", applied));
        }
        return applied;
    }

    /// <summary>A fresh server with no database yet just works; replicas racing to create it are fine.</summary>
    private static async Task EnsureDatabaseAsync(string connectionString, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database = target.Database;
        if (string.IsNullOrEmpty(database)) return;
        try
        {
            await using var probe = new NpgsqlConnection(connectionString);
            await probe.OpenAsync(cancellationToken);
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
        }

        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var conn = new NpgsqlConnection(admin.ConnectionString);
        await conn.OpenAsync(cancellationToken);
        try
        {
            await using var create = new NpgsqlCommand($"create database \"{database.Replace("\"", "\"\"")}\"", conn);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
        }
    }
}
