using System.Security.Cryptography;
using NeuroCards.Core.Storage;

namespace NeuroCards.Tests.Core.Storage;

/// <summary>The behaviour every storage backend must have; one subclass per backend runs it.</summary>
public abstract class MediaStoreContract(StorageProvider provider) : IAsyncLifetime
{
    protected StorageBackend Backend { get; private set; } = null!;
    protected IMediaStore Store => Backend.Store;

    public async ValueTask InitializeAsync() => Backend = await StorageBackend.StartAsync(provider);

    public async ValueTask DisposeAsync() => await Backend.DisposeAsync();

    protected static byte[] Jpeg(int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF;
        return bytes;
    }

    [Fact]
    public async Task The_health_check_leaves_its_probe_so_later_checks_find_an_object_instead_of_a_404()
    {
        var result = await new MediaStoreHealthCheck(Store).CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, result.Status);
        Assert.True(await Store.ExistsAsync(MediaStoreHealthCheck.ProbeKey));
    }

    [Fact]
    public async Task A_stored_photo_reads_back_byte_for_byte()
    {
        var photo = Jpeg(300_000);
        var key = MediaKeys.Input(Guid.NewGuid(), ImageKind.Jpeg);

        var size = await Store.PutAsync(key, new MemoryStream(photo), "image/jpeg");
        await using var read = await Store.OpenReadAsync(key);

        Assert.Equal(photo.Length, size);
        Assert.NotNull(read);
        Assert.Equal("image/jpeg", read.ContentType);
        var copy = new MemoryStream();
        await read.Content.CopyToAsync(copy);
        Assert.Equal(SHA256.HashData(photo), SHA256.HashData(copy.ToArray()));
        Assert.True(await Store.ExistsAsync(key));
    }

    [Fact]
    public async Task The_signed_url_lets_anyone_fetch_the_photo()
    {
        var photo = Jpeg(50_000);
        var key = MediaKeys.Input(Guid.NewGuid(), ImageKind.Jpeg);
        await Store.PutAsync(key, new MemoryStream(photo), "image/jpeg");

        var url = await Store.GetSignedUrlAsync(key, TimeSpan.FromMinutes(30));
        using var anonymous = new HttpClient();
        var fetched = await anonymous.GetByteArrayAsync(url);

        Assert.Equal(photo, fetched);
    }

    [Fact]
    public async Task Listing_by_prefix_finds_what_was_stored_under_it_with_its_size_and_time()
    {
        var input = MediaKeys.Input(Guid.NewGuid(), ImageKind.Png);
        var output = MediaKeys.Output(Guid.NewGuid());
        await Store.PutAsync(input, new MemoryStream(Jpeg(1000)), "image/png");
        await Store.PutAsync(output, new MemoryStream(Jpeg(2000)), "video/mp4");

        var inputs = await Store.ListAsync("inputs/").ToListAsync();
        var outputs = await Store.ListAsync("outputs/").ToListAsync();

        Assert.Contains(inputs, i => i.Key == input && i.Size == 1000);
        Assert.DoesNotContain(inputs, i => i.Key == output);
        Assert.Contains(outputs, i => i.Key == output && i.Size == 2000 && i.LastModified > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Delete_removes_only_the_object_it_names()
    {
        var input = MediaKeys.Input(Guid.NewGuid(), ImageKind.Png);
        var output = MediaKeys.Output(Guid.NewGuid());
        await Store.PutAsync(input, new MemoryStream(Jpeg(1000)), "image/png");
        await Store.PutAsync(output, new MemoryStream(Jpeg(2000)), "video/mp4");

        await Store.DeleteAsync(input);

        Assert.False(await Store.ExistsAsync(input));
        Assert.Null(await Store.OpenReadAsync(input));
        Assert.True(await Store.ExistsAsync(output));
    }

    [Fact]
    public async Task Storing_again_under_the_same_key_replaces_the_object()
    {
        var key = MediaKeys.Output(Guid.NewGuid());
        await Store.PutAsync(key, new MemoryStream(Jpeg(5000)), "video/mp4");
        var second = Jpeg(700);

        await Store.PutAsync(key, new MemoryStream(second), "video/mp4");

        await using var read = await Store.OpenReadAsync(key);
        var copy = new MemoryStream();
        await read!.Content.CopyToAsync(copy);
        Assert.Equal(second, copy.ToArray());
    }

    [Fact]
    public async Task Keys_that_climb_out_of_the_store_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync("../etc/passwd", new MemoryStream([1]), "text/plain"));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync("inputs/../../secret"));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetSignedUrlAsync("/absolute/path", TimeSpan.FromMinutes(1)));
    }
}

public sealed class LocalMediaStoreContract() : MediaStoreContract(StorageProvider.Local);

public sealed class AzureBlobMediaStoreContract() : MediaStoreContract(StorageProvider.AzureBlob);

public sealed class SupabaseMediaStoreContract() : MediaStoreContract(StorageProvider.Supabase);
