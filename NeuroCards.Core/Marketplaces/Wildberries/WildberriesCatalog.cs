using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Marketplaces.Wildberries;

/// <summary>
/// Reads Wildberries' public product cards (the JSON its own site loads) and their photos. The article decides the
/// path; the host is one of Wildberries' numbered baskets, found by asking them (a few at a time, each with a short
/// time limit) and remembered per article range. Answers over the size limits are cut off, not read.
/// </summary>
public sealed class WildberriesCatalog(IHttpClientFactory httpClients, IOptions<WildberriesOptions> options, ILogger<WildberriesCatalog> logger)
{
    public const string HttpClientName = "wildberries";
    private readonly ConcurrentDictionary<long, int> _baskets = new();

    /// <summary>The card, or null when no basket has it (a wrong or removed article).</summary>
    public async Task<WildberriesCard?> GetCardAsync(long article, CancellationToken cancellationToken)
    {
        var found = await FindAsync(article, cancellationToken);
        if (found is null) return null;
        var card = found.Value.Json;
        var options = card["options"] is JsonArray list
            ? list.OfType<JsonObject>().Select(o => (Text(o["name"]), Text(o["value"]))).ToList()
            : [];
        return new WildberriesCard(article, Text(card["imt_name"]) is { Length: > 0 } name ? name : Text(card["subj_name"]),
            card["selling"]?["brand_name"] is JsonValue brand ? brand.ToString() : null, card["description"] is JsonValue d ? d.ToString() : null,
            options, Math.Min(card["media"]?["photo_count"] is JsonValue c && c.TryGetValue(out int n) ? n : 0, WildberriesOptions.MaxPhotos));
    }

    /// <summary>Photo <paramref name="index"/> (from 1) of the card, as WEBP bytes; null when it is not there or too large.</summary>
    public async Task<byte[]?> GetPhotoAsync(long article, int index, CancellationToken cancellationToken)
    {
        if (!_baskets.TryGetValue(article / 100000, out var basket))
        {
            if (await FindAsync(article, cancellationToken) is null) return null;
            basket = _baskets[article / 100000];
        }
        return await GetBytesAsync(Url(basket, article, $"images/big/{index}.webp"), WildberriesOptions.MaxPhotoBytes, cancellationToken);
    }

    private async Task<(int Basket, JsonObject Json)?> FindAsync(long article, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var vol = article / 100000;
        var order = _baskets.TryGetValue(vol, out var known)
            ? new[] { known }.Concat(Enumerable.Range(1, o.Baskets).Where(b => b != known))
            : Enumerable.Range(1, o.Baskets);
        foreach (var batch in order.Chunk(8))
        {
            var attempts = batch.Select(async basket => (basket, bytes: await GetBytesAsync(Url(basket, article, "info/ru/card.json"),
                WildberriesOptions.MaxCardBytes, cancellationToken))).ToList();
            foreach (var (basket, bytes) in await Task.WhenAll(attempts))
            {
                if (bytes is null) continue;
                try
                {
                    if (JsonNode.Parse(bytes) is JsonObject json)
                    {
                        _baskets[vol] = basket;
                        return (basket, json);
                    }
                }
                catch (System.Text.Json.JsonException)
                {
                    logger.LogWarning("Wildberries basket {Basket} answered article {Article} with something that is not JSON", basket, article);
                }
            }
        }
        return null;
    }

    private Uri Url(int basket, long article, string path) =>
        new($"{options.Value.BasketUrl.Replace("{basket}", basket.ToString("00", System.Globalization.CultureInfo.InvariantCulture)).TrimEnd('/')}/vol{article / 100000}/part{article / 1000}/{article}/{path}");

    private async Task<byte[]?> GetBytesAsync(Uri url, long maxBytes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentLength > maxBytes) return null;
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > maxBytes) return null;
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private static string Text(JsonNode? node) => node is JsonValue v ? v.ToString().Trim() : "";
}
