using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace NeuroCards.Tests.Fakes;

/// <summary>
/// Yandex Market's Partner API on loopback: the Api-Key header (401 otherwise, 403 for another business), offer-mappings
/// (read, by offerIds or a page) and offer-mappings/update with its video rules: at most 6 videos, each a direct link of
/// at most 512 characters that Market can fetch (it fetches each new one itself); the offer's videos are replaced by
/// what the update lists.
/// </summary>
public sealed class YandexMarketFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _keys = new();
    private readonly ConcurrentDictionary<(string Business, string Offer), List<string>> _offers = new();
    private readonly HttpClient _fetcher = new();

    public ConcurrentDictionary<string, byte[]> Fetched { get; } = new();

    public string Url => _app.Urls.First();

    private YandexMarketFake(WebApplication app) => _app = app;

    public void AddBusiness(string businessId, string apiKey) => _keys[apiKey] = businessId;

    public void AddOffer(string businessId, string offerId, params string[] videos) => _offers[(businessId, offerId)] = [.. videos];

    public IReadOnlyList<string> VideosOf(string businessId, string offerId) => _offers[(businessId, offerId)];

    public static async Task<YandexMarketFake> StartAsync()
    {
        var app = LoopbackApp.CreateBuilder().Build();
        var fake = new YandexMarketFake(app);
        app.MapPost("/v2/businesses/{businessId}/offer-mappings", async (HttpContext c, string businessId, int? limit) =>
        {
            if (fake.Refuse(c, businessId) is { } refused) return refused;
            var body = await JsonNode.ParseAsync(c.Request.Body);
            var ids = (body?["offerIds"] as JsonArray)?.Select(i => i?.ToString()).ToHashSet();
            var offers = fake._offers.Where(o => o.Key.Business == businessId && (ids is null || ids.Contains(o.Key.Offer)))
                .Take(limit ?? 100).Select(o => (JsonNode)new JsonObject
                {
                    ["offer"] = new JsonObject { ["offerId"] = o.Key.Offer, ["videos"] = new JsonArray([.. o.Value.Select(v => (JsonNode)JsonValue.Create(v))]) },
                }).ToArray();
            return Results.Json(new JsonObject { ["status"] = "OK", ["result"] = new JsonObject { ["offerMappings"] = new JsonArray(offers) } });
        });
        app.MapPost("/v2/businesses/{businessId}/offer-mappings/update", async (HttpContext c, string businessId) =>
        {
            if (fake.Refuse(c, businessId) is { } refused) return refused;
            var body = await JsonNode.ParseAsync(c.Request.Body);
            foreach (var mapping in (body?["offerMappings"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var offerId = mapping["offer"]?["offerId"]?.ToString() ?? "";
                if (!fake._offers.TryGetValue((businessId, offerId), out var current)) return Error(400, "BAD_REQUEST", $"offer {offerId} not found");
                var videos = (mapping["offer"]?["videos"] as JsonArray ?? []).Select(v => v?.ToString() ?? "").ToList();
                if (videos.Count > 6) return Error(400, "BAD_REQUEST", "videos: no more than 6");
                if (videos.Any(v => v.Length > 512)) return Error(400, "BAD_REQUEST", "videos: a link is longer than 512 characters");
                foreach (var url in videos.Except(current))
                {
                    if (!await fake.FetchAsync(url)) return Error(400, "BAD_REQUEST", $"video {url} cannot be downloaded");
                }
                fake._offers[(businessId, offerId)] = videos;
            }
            return Results.Json(new { status = "OK" });
        });
        await app.StartAsync();
        return fake;
    }

    private async Task<bool> FetchAsync(string url)
    {
        try
        {
            var bytes = await _fetcher.GetByteArrayAsync(url);
            if (bytes.Length < 12 || System.Text.Encoding.ASCII.GetString(bytes, 4, 4) != "ftyp") return false;
            Fetched[url] = bytes;
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private IResult? Refuse(HttpContext c, string businessId) =>
        !_keys.TryGetValue(c.Request.Headers["Api-Key"].ToString(), out var business) ? Error(401, "UNAUTHORIZED", "Api-Key is missing or invalid")
        : business != businessId ? Error(403, "FORBIDDEN", "access to this business is denied")
        : null;

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { status = "ERROR", errors = new[] { new { code, message } } }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        _fetcher.Dispose();
        await _app.DisposeAsync();
    }
}
