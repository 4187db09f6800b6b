using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace NeuroCards.Core.Marketplaces;

/// <summary>The marketplaces' HTTP answers read one way: success passes, anything else becomes a <see cref="MarketplaceException"/>.</summary>
public static class MarketplaceHttp
{
    private const int MaxReasonLength = 500;

    /// <summary>POSTs JSON with the caller's authentication headers and reads the answer (<see cref="ReadAsync"/>).</summary>
    public static async Task<JsonNode?> PostJsonAsync(HttpClient client, Uri url, JsonNode body, Action<System.Net.Http.Headers.HttpRequestHeaders> authenticate,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        authenticate(request.Headers);
        using var response = await client.SendAsync(request, cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    public static async Task<JsonNode?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode) return body.Length == 0 ? null : Parse(body);
        var reason = ReasonOf(Parse(body)) ?? (body.Length > 0 && body.Length < MaxReasonLength ? body : response.ReasonPhrase ?? "");
        if (reason.Length > MaxReasonLength) reason = reason[..MaxReasonLength];
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new MarketplaceException(MarketplaceError.Unauthorized, reason),
            HttpStatusCode.Forbidden => new MarketplaceException(MarketplaceError.Forbidden, reason),
            HttpStatusCode.TooManyRequests => new MarketplaceException(MarketplaceError.RateLimited, reason, RetryAfter(response)),
            >= HttpStatusCode.InternalServerError => new MarketplaceException(MarketplaceError.Unavailable, reason),
            _ => new MarketplaceException(MarketplaceError.Rejected, reason),
        };
    }

    /// <summary>WB says X-Ratelimit-Retry (seconds); others Retry-After. Without either, ten seconds.</summary>
    public static TimeSpan RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("X-Ratelimit-Retry", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, 3600));
        }
        if (response.Headers.RetryAfter?.Delta is { } delta) return delta;
        if (response.Headers.RetryAfter?.Date is { } date) return date - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return TimeSpan.FromSeconds(10);
    }

    private static JsonNode? Parse(string body)
    {
        try { return JsonNode.Parse(body); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    /// <summary>WB: errorText / detail; Ozon: message; YM: errors[0].message.</summary>
    private static string? ReasonOf(JsonNode? body) => body is not JsonObject json ? null
        : Text(json["errorText"]) ?? Text(json["detail"]) ?? Text(json["message"]) ?? Text(json["errors"]?[0]?["message"]) ?? Text(json["title"]);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.ToString() is { Length: > 0 } text ? text : null;
}
