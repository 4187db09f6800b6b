using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Marketplaces.Wildberries;

/// <summary>
/// The seller's side of Wildberries (content-api): a read-only check of a token, the seller's cards (cursor paged), and
/// the upload of a card's video. The token travels in the Authorization header only, never in a URL.
/// </summary>
public sealed class WildberriesContentApi(IHttpClientFactory httpClients, IOptions<WildberriesOptions> options)
{
    public const string HttpClientName = "wildberries-content";
    public const int PageSize = 100;
    public const long MaxVideoBytes = 50L * 1024 * 1024;

    /// <summary>A cheap read with the token: one card of the list. Throws <see cref="MarketplaceException"/> when WB refuses it.</summary>
    public async Task CheckAsync(string token, CancellationToken cancellationToken) =>
        await ListAsync(token, null, 1, cancellationToken);

    /// <summary>Every card with photos, page after page (WB's cursor: the last card's updatedAt and nmID).</summary>
    public async IAsyncEnumerable<WildberriesSellerCard> ListCardsAsync(string token,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JsonObject? cursor = null;
        while (true)
        {
            var page = await ListAsync(token, cursor, PageSize, cancellationToken);
            var cards = page?["cards"] as JsonArray ?? [];
            foreach (var card in cards.OfType<JsonObject>()) yield return Parse(card);
            var next = page?["cursor"] as JsonObject;
            if (cards.Count < PageSize || next?["nmID"] is null) yield break;
            cursor = new JsonObject { ["updatedAt"] = next["updatedAt"]?.DeepClone(), ["nmID"] = next["nmID"]?.DeepClone() };
        }
    }

    private async Task<JsonNode?> ListAsync(string token, JsonObject? after, int limit, CancellationToken cancellationToken)
    {
        var cursor = new JsonObject { ["limit"] = limit };
        if (after is not null) foreach (var (k, v) in after) cursor[k] = v?.DeepClone();
        var body = new JsonObject { ["settings"] = new JsonObject { ["cursor"] = cursor, ["filter"] = new JsonObject { ["withPhoto"] = 1 } } };
        return await MarketplaceHttp.PostJsonAsync(httpClients.CreateClient(HttpClientName), Url("content/v2/get/cards/list?locale=ru"), body,
            headers => headers.TryAddWithoutValidation("Authorization", token), cancellationToken);
    }

    /// <summary>The card's video: multipart <c>uploadfile</c>, <c>X-Nm-Id</c>, <c>X-Photo-Number: 1</c> (a card has one video; this replaces it).</summary>
    public async Task UploadVideoAsync(string token, long nmId, Stream video, long length, CancellationToken cancellationToken)
    {
        using var file = new StreamContent(video);
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        file.Headers.ContentLength = length;
        using var form = new MultipartFormDataContent { { file, "uploadfile", $"{nmId}.mp4" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("content/v3/media/file")) { Content = form };
        request.Headers.TryAddWithoutValidation("Authorization", token);
        request.Headers.Add("X-Nm-Id", nmId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Photo-Number", "1");
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var answer = await MarketplaceHttp.ReadAsync(response, cancellationToken);
        // WB answers 200 with error: true and its text for some refusals.
        if (answer?["error"] is JsonValue error && error.TryGetValue(out bool failed) && failed)
            throw new MarketplaceException(MarketplaceError.Rejected, answer["errorText"]?.ToString() ?? "rejected");
    }

    public static string CardUrl(long nmId) => $"https://www.wildberries.ru/catalog/{nmId}/detail.aspx";

    private Uri Url(string path) => new($"{options.Value.ContentApiUrl.TrimEnd('/')}/{path}");

    private static WildberriesSellerCard Parse(JsonObject card)
    {
        var options = (card["characteristics"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => (Name: c["name"]?.ToString() ?? "", Value: c["value"] is JsonArray values ? string.Join(", ", values.Select(v => v?.ToString())) : c["value"]?.ToString() ?? ""))
            .ToList();
        return new WildberriesSellerCard(card["nmID"]?.GetValue<long>() ?? 0, card["title"]?.ToString() ?? "", card["brand"]?.ToString(),
            card["description"]?.ToString(), card["video"] is JsonValue video && video.ToString().Length > 0,
            (card["photos"] as JsonArray)?.Count ?? 0, options);
    }
}
