using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Marketplaces.YandexMarket;

/// <summary>
/// Yandex Market's Partner API for an offer's videos: read the offer's mapping, add our URL to its videos (at most
/// <see cref="MaxVideos"/>, each a permanent direct link of at most <see cref="MaxUrlLength"/> characters) and write it back;
/// the video is on the card when the offer reads back with it. The Api-Key travels in a header only.
/// </summary>
public sealed class YandexMarketApi(IHttpClientFactory httpClients, IOptions<YandexMarketOptions> options)
{
    public const string HttpClientName = "yandex-market";
    public const int MaxVideos = 6;
    public const int MaxUrlLength = 512;

    /// <summary>A cheap authenticated read of the business's offers (limit 1): a wrong key or business id is refused.</summary>
    public async Task CheckAsync(string apiKey, string businessId, CancellationToken cancellationToken) =>
        await PostAsync(apiKey, $"v2/businesses/{Uri.EscapeDataString(businessId)}/offer-mappings?limit=1", new JsonObject(), cancellationToken);

    /// <summary>The offer's videos now, or null when the business has no such offer.</summary>
    public async Task<IReadOnlyList<string>?> VideosAsync(string apiKey, string businessId, string offerId, CancellationToken cancellationToken)
    {
        var answer = await PostAsync(apiKey, $"v2/businesses/{Uri.EscapeDataString(businessId)}/offer-mappings",
            new JsonObject { ["offerIds"] = new JsonArray(offerId) }, cancellationToken);
        var offer = (answer?["result"]?["offerMappings"] as JsonArray)?.OfType<JsonObject>()
            .Select(m => m["offer"] as JsonObject).FirstOrDefault(o => o?["offerId"]?.ToString() == offerId);
        return offer is null ? null : (offer["videos"] as JsonArray ?? []).Select(v => v?.ToString()).OfType<string>().ToList();
    }

    /// <summary>Adds the video to the offer (the others kept). Refused by us as Yandex Market would when it cannot fit.</summary>
    public async Task AddVideoAsync(string apiKey, string businessId, string offerId, Uri video, CancellationToken cancellationToken)
    {
        var url = video.AbsoluteUri;
        if (url.Length > MaxUrlLength) throw new MarketplaceException(MarketplaceError.Rejected, $"video URL longer than {MaxUrlLength} characters");
        var videos = await VideosAsync(apiKey, businessId, offerId, cancellationToken)
                     ?? throw new MarketplaceException(MarketplaceError.Rejected, $"no offer {offerId} in this business");
        if (videos.Contains(url)) return;
        if (videos.Count >= MaxVideos) throw new MarketplaceException(MarketplaceError.Rejected, $"the offer has {MaxVideos} videos already");
        var offer = new JsonObject { ["offerId"] = offerId, ["videos"] = new JsonArray([.. videos.Append(url).Select(v => (JsonNode)JsonValue.Create(v))]) };
        await PostAsync(apiKey, $"v2/businesses/{Uri.EscapeDataString(businessId)}/offer-mappings/update",
            new JsonObject { ["offerMappings"] = new JsonArray(new JsonObject { ["offer"] = offer }) }, cancellationToken);
    }

    public static string CardUrl(string businessId, string offerId) =>
        $"https://partner.market.yandex.ru/business/{Uri.EscapeDataString(businessId)}/assortment/offer-card?offerId={Uri.EscapeDataString(offerId)}";

    private async Task<JsonNode?> PostAsync(string apiKey, string path, JsonObject body, CancellationToken cancellationToken)
    {
        var answer = await MarketplaceHttp.PostJsonAsync(httpClients.CreateClient(HttpClientName), new Uri($"{options.Value.ApiUrl.TrimEnd('/')}/{path}"), body,
            headers => headers.TryAddWithoutValidation("Api-Key", apiKey), cancellationToken);
        if (answer?["status"]?.ToString() == "ERROR")
            throw new MarketplaceException(MarketplaceError.Rejected, answer["errors"]?[0]?["message"]?.ToString() ?? "rejected");
        return answer;
    }
}
