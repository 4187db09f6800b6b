using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Marketplaces.Ozon;

/// <summary>
/// Ozon's Seller API for a product's video: a video is the complex attribute 100001 (21841 its URL, 21837 its name) that
/// Ozon fetches itself; <c>/v1/product/attributes/update</c> changes only it and returns a task, followed with
/// <c>/v1/product/import/info</c>. Client-Id and Api-Key travel in headers only.
/// </summary>
public sealed class OzonApi(IHttpClientFactory httpClients, IOptions<OzonOptions> options)
{
    public const string HttpClientName = "ozon";
    private const int VideoComplex = 100001;
    private const int VideoUrl = 21841;
    private const int VideoName = 21837;

    /// <summary>A cheap authenticated read: one product of the list.</summary>
    public async Task CheckAsync(string clientId, string apiKey, CancellationToken cancellationToken) =>
        await PostAsync(clientId, apiKey, "v3/product/list", new JsonObject { ["filter"] = new JsonObject { ["visibility"] = "ALL" }, ["limit"] = 1 },
            cancellationToken);

    public async Task<long> SetVideoAsync(string clientId, string apiKey, string offerId, Uri video, string name, CancellationToken cancellationToken)
    {
        var item = new JsonObject
        {
            ["offer_id"] = offerId,
            ["attributes"] = new JsonArray(
                Attribute(VideoUrl, video.AbsoluteUri),
                Attribute(VideoName, name)),
        };
        var answer = await PostAsync(clientId, apiKey, "v1/product/attributes/update", new JsonObject { ["items"] = new JsonArray(item) }, cancellationToken);
        return answer?["task_id"] is JsonValue id && id.TryGetValue(out long taskId)
            ? taskId
            : throw new MarketplaceException(MarketplaceError.Unavailable, "Ozon answered without a task_id");
    }

    public async Task<OzonImport> ImportInfoAsync(string clientId, string apiKey, long taskId, string offerId, CancellationToken cancellationToken)
    {
        var answer = await PostAsync(clientId, apiKey, "v1/product/import/info", new JsonObject { ["task_id"] = taskId }, cancellationToken);
        var item = (answer?["result"]?["items"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(i => i["offer_id"]?.ToString() == offerId);
        if (item is null) return new OzonImport.Pending();
        var errors = (item["errors"] as JsonArray)?.OfType<JsonObject>()
            .Where(e => e["level"]?.ToString() is not ("warning" or "ERROR_LEVEL_WARNING"))
            .Select(e => e["message"]?.ToString() ?? e["description"]?.ToString() ?? e["code"]?.ToString()).OfType<string>().ToList() ?? [];
        return item["status"]?.ToString() switch
        {
            "imported" when errors.Count == 0 => new OzonImport.Imported(item["product_id"] is JsonValue p && p.TryGetValue(out long productId) ? productId : 0),
            "imported" or "failed" => new OzonImport.Failed(errors.Count > 0 ? string.Join("; ", errors) : "rejected"),
            _ => new OzonImport.Pending(),
        };
    }

    public static string CardUrl(long productId) => $"https://seller.ozon.ru/app/products/{productId}/edit/all-attrs";

    private static JsonObject Attribute(int id, string value) => new()
    {
        ["complex_id"] = VideoComplex,
        ["id"] = id,
        ["values"] = new JsonArray(new JsonObject { ["value"] = value }),
    };

    private Task<JsonNode?> PostAsync(string clientId, string apiKey, string path, JsonObject body, CancellationToken cancellationToken) =>
        MarketplaceHttp.PostJsonAsync(httpClients.CreateClient(HttpClientName), new Uri($"{options.Value.ApiUrl.TrimEnd('/')}/{path}"), body, headers =>
        {
            headers.Add("Client-Id", clientId);
            headers.TryAddWithoutValidation("Api-Key", apiKey);
        }, cancellationToken);
}
