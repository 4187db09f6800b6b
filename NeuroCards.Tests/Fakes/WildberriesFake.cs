using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace NeuroCards.Tests.Fakes;

/// <summary>
/// Wildberries' public card hosts on loopback: /basket-NN/vol…/part…/{article}/info/ru/card.json in the shape the real
/// baskets serve, and the card's photos as WEBP. Each article lives in one basket; every other basket answers 404.
/// And the seller's Content API (<see cref="ContentApiUrl"/>): tokens as WB issues them (JWT claims of type, categories,
/// expiry), the card list with its cursor, and video uploads (multipart <c>uploadfile</c>, <c>X-Nm-Id</c>,
/// <c>X-Photo-Number: 1</c>), refusing what WB refuses: an unknown, expired or revoked token (401), one without write
/// access to «Контент» (403), a photo number other than 1 for a video, another seller's card, a file that is not a video
/// or over 50 MB (400), and a rate limit when asked to (429 with X-Ratelimit-Retry). A second video replaces the first.
/// </summary>
public sealed partial class WildberriesFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<long, (int Basket, JsonObject Card, IReadOnlyList<byte[]> Photos)> _cards = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>How long each photo takes to come (Wildberries' CDN on a bad day).</summary>
    public TimeSpan PhotoDelay { get; set; }

    /// <summary>The Wildberries__BasketUrl that points at this fake.</summary>
    public string BasketUrl => _app.Urls.First() + "/basket-{basket}";

    private WildberriesFake(WebApplication app) => _app = app;

    public static async Task<WildberriesFake> StartAsync()
    {
        var app = LoopbackApp.CreateBuilder().Build();
        var fake = new WildberriesFake(app);
        app.MapGet("/basket-{basket}/vol{vol}/part{part}/{article}/info/ru/card.json", (HttpContext c, string basket, long vol, long part, long article) =>
        {
            fake.Requests.Enqueue(c.Request.Path);
            return fake.Find(basket, vol, part, article) is { } card ? Results.Json(card.Card) : Results.NotFound();
        });
        app.MapGet("/basket-{basket}/vol{vol}/part{part}/{article}/images/big/{index}.webp", async (HttpContext c, string basket, long vol, long part, long article, int index) =>
        {
            fake.Requests.Enqueue(c.Request.Path);
            await Task.Delay(fake.PhotoDelay);
            return fake.Find(basket, vol, part, article) is { } card && index >= 1 && index <= card.Photos.Count
                ? Results.Bytes(card.Photos[index - 1], "image/webp")
                : Results.NotFound();
        });
        fake.MapContentApi(app);
        await app.StartAsync();
        return fake;
    }

    private (int Basket, JsonObject Card, IReadOnlyList<byte[]> Photos)? Find(string basket, long vol, long part, long article) =>
        _cards.TryGetValue(article, out var card) && card.Basket.ToString("00") == basket && vol == article / 100000 && part == article / 1000
            ? card
            : null;

    /// <summary>Publishes a card as Wildberries does, with its photos, in basket <paramref name="basket"/>.</summary>
    public void Add(long article, int basket, string name, string brand, string description, IReadOnlyList<byte[]> photos,
        params (string Name, string Value)[] options)
    {
        var card = new JsonObject
        {
            ["imt_id"] = article / 3,
            ["nm_id"] = article,
            ["imt_name"] = name,
            ["slug"] = "product",
            ["subj_name"] = "Кружки",
            ["subj_root_name"] = "Посуда",
            ["vendor_code"] = "MB-350",
            ["description"] = description,
            ["options"] = new JsonArray(options.Select(o => (JsonNode)new JsonObject { ["name"] = o.Name, ["value"] = o.Value }).ToArray()),
            ["compositions"] = new JsonArray(new JsonObject { ["name"] = "керамика" }),
            ["selling"] = new JsonObject { ["brand_name"] = brand, ["brand_hash"] = "A1B2C3", ["supplier_id"] = 4242 },
            ["media"] = new JsonObject { ["has_video"] = false, ["photo_count"] = photos.Count },
            ["data"] = new JsonObject { ["subject_id"] = 2911, ["subject_root_id"] = 1235 },
        };
        _cards[article] = (basket, card, photos);
    }

    public byte[] Photo(long article, int index) => _cards[article].Photos[index - 1];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
