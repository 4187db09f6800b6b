using Azure.Storage.Blobs;
using NeuroCards.Core.Storage;

namespace NeuroCards.Tests.Core.Storage;

public sealed class AzureBlobStartTests
{
    [Fact]
    public async Task The_container_is_created_when_the_service_starts()
    {
        await using var backend = await StorageBackend.StartAsync(StorageProvider.AzureBlob);

        var container = new BlobServiceClient(backend.Settings["ConnectionStrings:blobs"]).GetBlobContainerClient(backend.Settings["Storage:Container"]);

        Assert.True(await container.ExistsAsync());
    }
}
