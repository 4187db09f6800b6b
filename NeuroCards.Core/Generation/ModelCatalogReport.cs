using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NeuroCards.Core.Generation;

/// <summary>Says at start what in the model settings will not be used as written (an old Kie__Model=sora-2): a warning, never a crash.</summary>
public sealed class ModelCatalogReport(ModelCatalog catalog, ILogger<ModelCatalogReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var warning in catalog.StartupWarnings()) logger.LogWarning("Model settings: {Warning}", warning);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
