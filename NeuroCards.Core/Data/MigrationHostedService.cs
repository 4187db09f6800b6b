using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NeuroCards.Core.Data;

/// <summary>Runs pending migrations before the service takes work (hosted services start in registration order).</summary>
public sealed class MigrationHostedService(IConfiguration configuration, ILogger<MigrationHostedService> logger) : IHostedService
{
    // The data source's own ConnectionString drops the password, so read the configured one.
    public Task StartAsync(CancellationToken cancellationToken) =>
        DatabaseMigrator.MigrateAsync(configuration.GetConnectionString("neurocards")!, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
