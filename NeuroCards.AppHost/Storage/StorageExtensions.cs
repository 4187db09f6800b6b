using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NeuroCards.AppHost.Storage;

public static class StorageExtensions
{
    /// <summary>Azurite installed into .tools/ by scripts/setup.sh, or null when it is not there.</summary>
    public static string? FindAzurite(string repoRoot)
    {
        var path = Path.Combine(repoRoot, ".tools", "node_modules", ".bin", "azurite-blob");
        return File.Exists(path) ? path : null;
    }

    public static IResourceBuilder<AzuriteResource> AddAzurite(this IDistributedApplicationBuilder builder, string name, string executable, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var azurite = new AzuriteResource(name, executable, dataDirectory);
        var port = FreePort.Next();
        var healthCheck = $"{name}-listening";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async ct =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, ct);
                return HealthCheckResult.Healthy();
            }
            catch (SocketException e)
            {
                return HealthCheckResult.Unhealthy(e.Message);
            }
        });
        return builder.AddResource(azurite)
            .WithLoopbackEndpoint(AzuriteResource.EndpointName, "http", port)
            .WithArgs("--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture), "--location", dataDirectory,
                "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl")
            .WithHealthCheck(healthCheck);
    }

    /// <summary>
    /// Where the service keeps photos and videos in a local run: Azurite through <c>ConnectionStrings__blobs</c>, or a
    /// folder whose signed links the bot serves (at <c>Storage__PublicBaseUrl</c>). Published, the operator's storage settings decide.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMediaStorage(this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<AzuriteResource>? blobs, string folder)
    {
        if (service.ApplicationBuilder.ExecutionContext.IsPublishMode) return service;
        if (blobs is not null)
        {
            return service.WithReference(blobs).WaitFor(blobs, WaitBehavior.StopOnResourceUnavailable)
                .WithEnvironment("Storage__Provider", "AzureBlob");
        }
        Directory.CreateDirectory(folder);
        return service
            .WithEnvironment("Storage__Provider", "Local")
            .WithEnvironment("Storage__LocalPath", folder)
            .WithEnvironment("Storage__SigningKey", SigningKey(Path.Combine(folder, "..", "signing.key")));
    }

    /// <summary>Kept with the data, so links signed before a restart still open after it.</summary>
    private static string SigningKey(string path)
    {
        if (!File.Exists(path)) File.WriteAllText(path, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        return File.ReadAllText(path).Trim();
    }
}
