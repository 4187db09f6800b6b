using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace NeuroCards.Tests.Fakes;

/// <summary>The seller's Content API of <see cref="WildberriesFake"/>.</summary>
public sealed partial class WildberriesFake
{
    private const long MaxVideoBytes = 50L * 1024 * 1024;
    private readonly ConcurrentDictionary<string, (string Seller, DateTime Expires, bool Write)> _tokens = new();
    private readonly ConcurrentDictionary<long, string> _owners = new();
    private readonly ConcurrentDictionary<long, byte[]> _videos = new();
    private readonly ConcurrentDictionary<long, string> _refusals = new();
    private readonly ConcurrentDictionary<long, int> _uploads = new();
    private int _limited;

    /// <summary>The Wildberries__ContentApiUrl that points at this fake.</summary>
    public string ContentApiUrl => _app.Urls.First();

    /// <summary>Every Authorization header the Content API was sent (to check no other secret travels there).</summary>
    public ConcurrentQueue<string> UploadHeaders { get; } = new();

    /// <summary>A token as the seller portal issues it: type 1 basic, 2 personal, 3 service; <paramref name="test"/> a sandbox one.</summary>
    public string IssueToken(string seller, int type = 1, bool content = true, bool readOnly = false, bool test = false, DateTime? expires = null)
    {
        var exp = expires ?? DateTime.UtcNow.AddDays(180);
        var scopes = (content ? 1L << 1 : 0) | (1L << 3) | (readOnly ? 1L << 30 : 0);
        var token = FakeJwt.Issue(new JsonObject
        {
            ["acc"] = type,
            ["ent"] = 1,
            ["exp"] = new DateTimeOffset(exp).ToUnixTimeSeconds(),
            ["id"] = Guid.NewGuid().ToString(),
            ["iid"] = 50109270,
            ["oid"] = 677632,
            ["s"] = scopes,
            ["sid"] = seller,
            ["t"] = test,
            ["uid"] = 50109270,
        });
        // WB refuses personal tokens from cloud services and sandbox tokens on the real hosts.
        if (type is 1 or 3 && !test) _tokens[token] = (seller, exp, content && !readOnly);
        return token;
    }

    public void Revoke(string token) => _tokens.TryRemove(token, out _);

    /// <summary>The seller's card (also published on the baskets, with its photos), with or without a video.</summary>
    public void AddSellerCard(string seller, long article, string name, IReadOnlyList<byte[]> photos, bool hasVideo = false, int basket = 3)
    {
        Add(article, basket, name, "Бренд", $"{name}. Описание карточки {article}.", photos, ("Цвет", "белый"));
        _owners[article] = seller;
        if (hasVideo) _videos[article] = [0];
    }

    /// <summary>WB will refuse the next uploads to this card with its 400 and this text.</summary>
    public void RefuseUploads(long article, string text) => _refusals[article] = text;

    /// <summary>The next <paramref name="requests"/> calls answer 429.</summary>
    public void RateLimit(int requests) => Interlocked.Exchange(ref _limited, requests);

    public byte[]? VideoOn(long article) => _videos.TryGetValue(article, out var video) && video.Length > 1 ? video : null;

    public int UploadsTo(long article) => _uploads.GetValueOrDefault(article);

    private IResult? Refuse(HttpContext c, bool write, out string seller)
    {
        seller = "";
        if (Interlocked.Decrement(ref _limited) >= 0)
        {
            c.Response.Headers["X-Ratelimit-Retry"] = "2";
            c.Response.Headers["X-Ratelimit-Limit"] = "100";
            return Results.Json(new { title = "too many requests", detail = "Limited by c122a060-a7fb-4665-b2fa-d2c4eb6c9c0b", status = 429 }, statusCode: 429);
        }
        Interlocked.Exchange(ref _limited, 0);
        var token = c.Request.Headers.Authorization.ToString();
        if (token.StartsWith("Bearer ", StringComparison.Ordinal)) token = token[7..];
        if (!_tokens.TryGetValue(token, out var known) || known.Expires < DateTime.UtcNow)
            return Results.Json(new { title = "unauthorized", detail = "token is expired or revoked", status = 401 }, statusCode: 401);
        if (write && !known.Write)
            return Results.Json(new { title = "forbidden", detail = "token scope not allowed: read-only or no Content category", status = 403 }, statusCode: 403);
        seller = known.Seller;
        return null;
    }

    private void MapContentApi(WebApplication app)
    {
        app.MapPost("/content/v2/get/cards/list", async (HttpContext c) =>
        {
            if (Refuse(c, write: false, out var seller) is { } refused) return refused;
            var body = await System.Text.Json.Nodes.JsonNode.ParseAsync(c.Request.Body);
            var cursor = body?["settings"]?["cursor"];
            var limit = cursor?["limit"]?.GetValue<int>() ?? 0;
            if (limit is < 1 or > 100) return Results.Json(new { title = "bad request", detail = "limit must be 1..100", status = 400 }, statusCode: 400);
            var afterNm = cursor?["nmID"]?.GetValue<long>();
            var cards = _owners.Where(o => o.Value == seller).Select(o => o.Key).Order()
                .Where(nm => afterNm is null || nm > afterNm).Take(limit).ToList();
            var items = new JsonArray(cards.Select(nm => (JsonNode)new JsonObject
            {
                ["nmID"] = nm,
                ["imtID"] = nm / 3,
                ["vendorCode"] = $"V-{nm}",
                ["brand"] = "Бренд",
                ["title"] = _cards[nm].Card["imt_name"]!.GetValue<string>(),
                ["description"] = _cards[nm].Card["description"]!.GetValue<string>(),
                ["photos"] = new JsonArray(_cards[nm].Photos.Select((_, i) => (JsonNode)new JsonObject { ["big"] = $"https://basket-03.wbbasket.ru/vol{nm / 100000}/part{nm / 1000}/{nm}/images/big/{i + 1}.webp" }).ToArray()),
                ["video"] = _videos.ContainsKey(nm) ? $"https://video.wildberries.ru/{nm}.mp4" : null,
                ["characteristics"] = new JsonArray(new JsonObject { ["id"] = 14177449, ["name"] = "Цвет", ["value"] = new JsonArray("белый") }),
                ["updatedAt"] = "2026-11-30T10:00:00Z",
            }).ToArray());
            return Results.Json(new JsonObject
            {
                ["cards"] = items,
                ["cursor"] = new JsonObject { ["updatedAt"] = "2026-11-30T10:00:00Z", ["nmID"] = cards.Count > 0 ? cards[^1] : null, ["total"] = cards.Count },
            });
        });
        app.MapPost("/content/v3/media/file", async (HttpContext c) =>
        {
            UploadHeaders.Enqueue(c.Request.Headers.Authorization.ToString());
            if (Refuse(c, write: true, out var seller) is { } refused) return refused;
            if (!long.TryParse(c.Request.Headers["X-Nm-Id"], out var nm) || !_owners.TryGetValue(nm, out var owner) || owner != seller)
                return Error("Карточка товара не найдена");
            if (!c.Request.HasFormContentType) return Error("ожидается multipart/form-data");
            var form = await c.Request.ReadFormAsync();
            if (form.Files.GetFile("uploadfile") is not { } file) return Error("нет файла uploadfile");
            var bytes = new byte[file.Length];
            await using (var read = file.OpenReadStream()) await read.ReadExactlyAsync(bytes);
            var isVideo = bytes.Length > 12 && System.Text.Encoding.ASCII.GetString(bytes, 4, 4) == "ftyp";
            if (!isVideo) return Error("Неверный формат файла");
            if (c.Request.Headers["X-Photo-Number"] != "1") return Error("Для видео X-Photo-Number должен быть 1");
            if (bytes.Length > MaxVideoBytes) return Error("Размер видео больше 50 МБ");
            if (_refusals.TryGetValue(nm, out var refusal)) return Error(refusal);
            _videos[nm] = bytes; // one video per card: a second replaces the first
            _uploads.AddOrUpdate(nm, 1, (_, n) => n + 1);
            return Results.Json(new { data = (object?)null, error = false, errorText = "", additionalErrors = (object?)null });
        });
    }

    private static IResult Error(string text) =>
        Results.Json(new { data = (object?)null, error = true, errorText = text, additionalErrors = (object?)null }, statusCode: 400);
}
