using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace NeuroCards.AppHost.Postgres;

public static class LocalPostgresExtensions
{
    /// <summary>
    /// A cluster under <paramref name="dataDirectory"/>: a <c>{name}-init</c> step creates it once (initdb) and clears
    /// a stale pid file, then the server runs on a free loopback port until the AppHost stops it.
    /// </summary>
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        var scripts = Path.Combine(AppContext.BaseDirectory, "Postgres");
        var init = builder.AddExecutable($"{name}-init", "bash", scripts, Path.Combine(scripts, "init.sh"), dataDirectory);

        var postgres = new LocalPostgresResource(name, scripts);
        var port = FreePort.Next();
        var healthCheck = $"{name}-accepts-connections";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, ct => CanQueryAsync(postgres, "postgres", ct));

        return builder.AddResource(postgres)
            .WithLoopbackEndpoint(LocalPostgresResource.EndpointName, "tcp", port)
            .WithArgs(Path.Combine(scripts, "run.sh"), dataDirectory, port.ToString(CultureInfo.InvariantCulture))
            .WithHealthCheck(healthCheck)
            .WaitForCompletion(init);
    }

    /// <summary>The database is created when the server is ready (once; it is kept between runs).</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresResource> postgres, string name)
    {
        var builder = postgres.ApplicationBuilder;
        var database = new LocalPostgresDatabaseResource(name, name, postgres.Resource);
        builder.Eventing.Subscribe<ResourceReadyEvent>(postgres.Resource, async (ready, ct) =>
        {
            await using var connection = new NpgsqlConnection(await ConnectionStringAsync(postgres.Resource, "postgres", ct));
            await connection.OpenAsync(ct);
            await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
                await create.ExecuteNonQueryAsync(ct);
            }
            await ready.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running });
        });

        var healthCheck = $"{name}-exists";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, ct => CanQueryAsync(postgres.Resource, name, ct));
        return builder.AddResource(database)
            .WithParentRelationship(postgres)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new("postgres.database", name)],
            })
            .WithHealthCheck(healthCheck)
            .OnInitializeResource((db, e, ct) =>
            {
                _ = FailWithServerAsync(db, postgres.Resource, e.Notifications, ct);
                return Task.CompletedTask;
            });
    }

    /// <summary>
    /// A database is no more available than its server: when the server fails or stops, so does the database, and
    /// services waiting for it stop waiting (WaitBehavior.StopOnResourceUnavailable) instead of hanging.
    /// </summary>
    private static async Task FailWithServerAsync(LocalPostgresDatabaseResource database, LocalPostgresResource server,
        ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken))
            {
                if (update.Resource != server || update.Snapshot.State?.Text is not { } state || !KnownResourceStates.TerminalStates.Contains(state)) continue;
                var failed = state == KnownResourceStates.FailedToStart || update.Snapshot.ExitCode is not (null or 0);
                await notifications.PublishUpdateAsync(database, s => s with { State = failed ? KnownResourceStates.FailedToStart : KnownResourceStates.Exited });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<string> ConnectionStringAsync(LocalPostgresResource postgres, string database, CancellationToken ct) =>
        // No pooling: an idle pooled connection in the AppHost would hold the server up at shutdown.
        $"{await postgres.ConnectionStringExpression.GetValueAsync(ct)};Database={database};Pooling=false;Timeout=3";

    private static async Task<HealthCheckResult> CanQueryAsync(LocalPostgresResource postgres, string database, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(await ConnectionStringAsync(postgres, database, ct));
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
