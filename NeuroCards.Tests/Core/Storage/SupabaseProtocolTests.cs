using NeuroCards.Core.Storage;

namespace NeuroCards.Tests.Core.Storage;

public sealed class SupabaseProtocolTests
{
    [Fact]
    public async Task The_store_speaks_the_supabase_storage_api_with_the_service_role_key()
    {
        await using var backend = await StorageBackend.StartAsync(StorageProvider.Supabase);
        var key = MediaKeys.Output(Guid.NewGuid());

        await backend.Store.PutAsync(key, new MemoryStream([0, 0, 0, 1]), "video/mp4");
        await backend.Store.GetSignedUrlAsync(key, TimeSpan.FromMinutes(10));
        await backend.Store.DeleteAsync(key);

        // The fake answers 401 to any request without "Authorization: Bearer <key>" and "apikey". (The start-up probe is left out.)
        Assert.Equal(
            [$"POST /storage/v1/object/media/{key}", $"POST /storage/v1/object/sign/media/{key}", "DELETE /storage/v1/object/media"],
            backend.Supabase!.Requests.Where(r => !r.EndsWith("/health/probe")).ToArray());
    }

    [Fact]
    public async Task A_wrong_service_key_is_reported_not_swallowed()
    {
        await using var fake = await NeuroCards.Tests.Fakes.SupabaseStorageFake.StartAsync();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("Authorization", "Bearer wrong");
        http.DefaultRequestHeaders.Add("apikey", "wrong");
        var store = new SupabaseMediaStore(http, Microsoft.Extensions.Options.Options.Create(
            new SupabaseOptions { Url = fake.Url, ServiceRoleKey = "wrong", Bucket = "media" }));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            store.PutAsync(MediaKeys.Output(Guid.NewGuid()), new MemoryStream([1]), "video/mp4"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.DoesNotContain("wrong", error.Message);
    }
}
