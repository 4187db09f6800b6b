using System.Net;
using System.Net.Http.Headers;
using NeuroCards.Core.Storage;

namespace NeuroCards.Tests.Core.Storage;

public sealed class LocalMediaEndpointTests : IAsyncLifetime
{
    private StorageBackend _backend = null!;
    private readonly HttpClient _anonymous = new();

    public async ValueTask InitializeAsync() => _backend = await StorageBackend.StartAsync(StorageProvider.Local);

    public async ValueTask DisposeAsync()
    {
        _anonymous.Dispose();
        await _backend.DisposeAsync();
    }

    private async Task<(string Key, Uri Url)> StoreVideoAsync(byte[] bytes, string declaredType = "application/octet-stream")
    {
        var key = MediaKeys.Output(Guid.NewGuid());
        await _backend.Store.PutAsync(key, new MemoryStream(bytes), declaredType);
        return (key, await _backend.Store.GetSignedUrlAsync(key, TimeSpan.FromMinutes(5)));
    }

    private static byte[] Mp4Header(int size)
    {
        var bytes = new byte[size];
        byte[] box = [0, 0, 0, 0x20, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m'];
        box.CopyTo(bytes, 0);
        for (var i = 12; i < size; i++) bytes[i] = (byte)i;
        return bytes;
    }

    [Fact]
    public async Task The_content_type_comes_from_the_bytes_not_the_name()
    {
        var (_, url) = await StoreVideoAsync(Mp4Header(4096));

        using var response = await _anonymous.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Range_requests_return_just_the_asked_bytes()
    {
        var bytes = Mp4Header(10_000);
        var (_, url) = await StoreVideoAsync(bytes);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(1000, 1999);

        using var response = await _anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes[1000..2000], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_forged_or_borrowed_signature_is_forbidden()
    {
        var (_, url) = await StoreVideoAsync(Mp4Header(100));
        var (otherKey, _) = await StoreVideoAsync(Mp4Header(100));
        var forged = new Uri(url.ToString()[..^4] + "beef");
        var borrowed = new Uri(url.GetLeftPart(UriPartial.Authority) + "/media/" + otherKey + url.Query);

        Assert.Equal(HttpStatusCode.Forbidden, (await _anonymous.GetAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _anonymous.GetAsync(borrowed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task An_expired_link_is_forbidden()
    {
        var key = MediaKeys.Output(Guid.NewGuid());
        await _backend.Store.PutAsync(key, new MemoryStream(Mp4Header(100)), "video/mp4");

        var url = await _backend.Store.GetSignedUrlAsync(key, TimeSpan.FromSeconds(-5));

        Assert.Equal(HttpStatusCode.Forbidden, (await _anonymous.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Paths_out_of_the_media_folder_are_forbidden_even_when_signed()
    {
        var secret = Path.Combine(Path.GetDirectoryName(_backend.LocalPath!)!, "secret-" + Guid.NewGuid().ToString("N")[..6] + ".txt");
        await File.WriteAllTextAsync(secret, "do not serve");
        var signer = new UrlSigner("test-signing-key-0123456789");
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var baseUrl = _backend.App.Urls.First();
        try
        {
            foreach (var key in new[] { "../" + Path.GetFileName(secret), "..%2F" + Path.GetFileName(secret), "%2e%2e/" + Path.GetFileName(secret) })
            {
                var raw = Uri.UnescapeDataString(key);
                var response = await _anonymous.GetAsync($"{baseUrl}/media/{key}?exp={exp}&sig={signer.Sign(raw, exp)}");
                Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
                Assert.DoesNotContain("do not serve", await response.Content.ReadAsStringAsync());
            }
        }
        finally
        {
            File.Delete(secret);
        }
    }
}
