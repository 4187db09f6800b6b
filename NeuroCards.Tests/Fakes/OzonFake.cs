using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace NeuroCards.Tests.Fakes;

/// <summary>
/// Ozon's Seller API on loopback: Client-Id + Api-Key in headers (401 otherwise), /v3/product/list,
/// /v1/product/attributes/update taking a video as the complex attribute 100001 (21841 the URL, 21837 the name) and
/// answering a task_id, and /v1/product/import/info: pending first, then — after Ozon fetched the URL itself, a direct
/// public MP4 — imported, or failed with Ozon's reason (a link it cannot fetch, or an offer set to be rejected).
/// </summary>
public sealed class OzonFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _keys = new();
    private readonly ConcurrentDictionary<string, long> _products = new();
    private readonly ConcurrentDictionary<string, string> _rejections = new();
    private readonly ConcurrentDictionary<long, (string OfferId, string Url, int Polls, string? Error)> _tasks = new();
    private readonly ConcurrentDictionary<string, string> _videos = new();
    private readonly HttpClient _fetcher = new();
    private long _nextTask = 7_000_000;

    /// <summary>What Ozon fetched from the links it was given: the URL and the bytes.</summary>
    public ConcurrentDictionary<string, byte[]> Fetched { get; } = new();

    public string Url => _app.Urls.First();

    private OzonFake(WebApplication app) => _app = app;

    public void AddShop(string clientId, string apiKey) => _keys[clientId] = apiKey;

    public void AddProduct(string offerId, long productId) => _products[offerId] = productId;

    /// <summary>Imports of this offer end failed with Ozon's message.</summary>
    public void Reject(string offerId, string message) => _rejections[offerId] = message;

    public string? VideoOf(string offerId) => _videos.GetValueOrDefault(offerId);

    public static async Task<OzonFake> StartAsync()
    {
        var app = LoopbackApp.CreateBuilder().Build();
        var fake = new OzonFake(app);
        app.MapPost("/v3/product/list", (HttpContext c) => fake.Unauthorized(c) ?? Results.Json(new JsonObject
        {
            ["result"] = new JsonObject { ["items"] = new JsonArray(fake._products.Take(1).Select(p => (JsonNode)new JsonObject { ["offer_id"] = p.Key, ["product_id"] = p.Value }).ToArray()), ["total"] = fake._products.Count, ["last_id"] = "" },
        }));
        app.MapPost("/v1/product/attributes/update", async (HttpContext c) =>
        {
            if (fake.Unauthorized(c) is { } refused) return refused;
            var body = await JsonNode.ParseAsync(c.Request.Body);
            var item = body?["items"]?[0];
            var offerId = item?["offer_id"]?.ToString();
            if (offerId is null || !fake._products.ContainsKey(offerId)) return Error(404, "NOT_FOUND", "product not found");
            var attributes = (item!["attributes"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var url = attributes.FirstOrDefault(a => a["complex_id"]?.GetValue<int>() == 100001 && a["id"]?.GetValue<int>() == 21841)?["values"]?[0]?["value"]?.ToString();
            if (url is null) return Error(400, "INVALID_ARGUMENT", "attribute 21841 of complex 100001 is required");
            var task = Interlocked.Increment(ref fake._nextTask);
            fake._tasks[task] = (offerId, url, 0, null);
            return Results.Json(new { task_id = task });
        });
        app.MapPost("/v1/product/import/info", async (HttpContext c) =>
        {
            if (fake.Unauthorized(c) is { } refused) return refused;
            var body = await JsonNode.ParseAsync(c.Request.Body);
            var taskId = body?["task_id"]?.GetValue<long>() ?? 0;
            if (!fake._tasks.TryGetValue(taskId, out var task)) return Error(404, "NOT_FOUND", "task not found");
            // The first look finds it pending; Ozon fetches the video meanwhile.
            if (task.Polls == 0)
            {
                fake._tasks[taskId] = task with { Polls = 1, Error = await fake.FetchAsync(task.OfferId, task.Url) };
                return Results.Json(Info(task.OfferId, "pending", null, 0));
            }
            var error = task.Error ?? fake._rejections.GetValueOrDefault(task.OfferId);
            if (error is null) fake._videos[task.OfferId] = task.Url;
            return Results.Json(Info(task.OfferId, error is null ? "imported" : "failed", error, fake._products[task.OfferId]));
        });
        await app.StartAsync();
        return fake;
    }

    private async Task<string?> FetchAsync(string offerId, string url)
    {
        try
        {
            var bytes = await _fetcher.GetByteArrayAsync(url);
            if (bytes.Length < 12 || System.Text.Encoding.ASCII.GetString(bytes, 4, 4) != "ftyp") return "Не удалось загрузить видео: файл не MP4";
            Fetched[url] = bytes;
            return null;
        }
        catch (HttpRequestException)
        {
            return "Не удалось загрузить видео по ссылке";
        }
    }

    private static JsonObject Info(string offerId, string status, string? error, long productId) => new()
    {
        ["result"] = new JsonObject
        {
            ["items"] = new JsonArray(new JsonObject
            {
                ["offer_id"] = offerId,
                ["product_id"] = productId,
                ["status"] = status,
                ["errors"] = error is null ? new JsonArray() : new JsonArray(new JsonObject { ["code"] = "video_error", ["level"] = "error", ["message"] = error }),
            }),
            ["total"] = 1,
        },
    };

    private IResult? Unauthorized(HttpContext c) =>
        _keys.TryGetValue(c.Request.Headers["Client-Id"].ToString(), out var key) && key == c.Request.Headers["Api-Key"].ToString()
            ? null
            : Error(401, "UNAUTHENTICATED", "Client-Id and Api-Key headers are required");

    private static IResult Error(int status, string code, string message) => Results.Json(new { code, message, details = Array.Empty<object>() }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        _fetcher.Dispose();
        await _app.DisposeAsync();
    }
}
