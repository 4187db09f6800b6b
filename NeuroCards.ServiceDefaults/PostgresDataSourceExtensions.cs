using System.Diagnostics;

namespace Microsoft.Extensions.Hosting;

public static class PostgresDataSourceExtensions
{
    /// <summary>
    /// The PostgreSQL data source (Aspire.Npgsql: pooling, health check, metrics, tracing), with a span only for commands
    /// run inside a trace. The bot's and the worker's idle polls (the queue, leases, reconciliation) run every few seconds
    /// outside any trace; as root spans they buried an order's trace in the dashboard.
    /// </summary>
    public static TBuilder AddPostgresDataSource<TBuilder>(this TBuilder builder, string connectionName) where TBuilder : IHostApplicationBuilder
    {
        builder.AddNpgsqlDataSource(connectionName, configureDataSourceBuilder: dataSource => dataSource.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(_ => Activity.Current is not null)
            .ConfigureBatchFilter(_ => Activity.Current is not null)));
        return builder;
    }
}
