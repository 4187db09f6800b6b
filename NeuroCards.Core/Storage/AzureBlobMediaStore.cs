using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Storage;

/// <summary>Azure Blob Storage (Azurite locally) with read-only SAS URLs.</summary>
public sealed class AzureBlobMediaStore(BlobServiceClient service, IOptions<StorageOptions> options, TimeProvider time) : IMediaStore
{
    private readonly BlobContainerClient _container = service.GetBlobContainerClient(options.Value.Container);
    private int _created;

    private async Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _created, 1);
        }
        return _container;
    }

    public async Task<long> PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        MediaKeys.EnsureValid(key);
        var blob = (await ContainerAsync(cancellationToken)).GetBlobClient(key);
        // Blocks of 4 MB, two at a time: memory stays a few MB whatever the file size.
        await blob.UploadAsync(content, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            TransferOptions = new StorageTransferOptions
            {
                InitialTransferSize = 4 * 1024 * 1024,
                MaximumTransferSize = 4 * 1024 * 1024,
                MaximumConcurrency = 2,
            },
        }, cancellationToken);
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        return properties.Value.ContentLength;
    }

    public async Task<MediaObject?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        MediaKeys.EnsureValid(key);
        var blob = (await ContainerAsync(cancellationToken)).GetBlobClient(key);
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            var stream = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
            return new MediaObject(stream, properties.Value.ContentLength, properties.Value.ContentType ?? "application/octet-stream");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        MediaKeys.EnsureValid(key);
        return await (await ContainerAsync(cancellationToken)).GetBlobClient(key).ExistsAsync(cancellationToken);
    }

    public async Task<Uri> GetSignedUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        MediaKeys.EnsureValid(key);
        var blob = (await ContainerAsync(cancellationToken)).GetBlobClient(key);
        return blob.GenerateSasUri(BlobSasPermissions.Read, time.GetUtcNow().Add(validFor));
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        MediaKeys.EnsureValid(key);
        await (await ContainerAsync(cancellationToken)).GetBlobClient(key).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    public async IAsyncEnumerable<MediaItem> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var container = await ContainerAsync(cancellationToken);
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            yield return new MediaItem(item.Name, item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.MinValue);
        }
    }
}
