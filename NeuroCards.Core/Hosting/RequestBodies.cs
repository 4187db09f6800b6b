using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace NeuroCards.Core.Hosting;

/// <summary>The small JSON bodies that other services post to us (provider callbacks, payment notifications).</summary>
public static class RequestBodies
{
    /// <summary>Larger than any notification we take: anything bigger is not one.</summary>
    public const long MaxBytes = 64 * 1024;

    /// <summary>The body as JSON, read up to <see cref="MaxBytes"/>; null when it is larger, or not JSON.</summary>
    public static async Task<JsonNode?> ReadJsonAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBytes) return null;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBytes;
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException)
        {
            return null;
        }
    }

    /// <summary>A string or number value as text (an id sent either way); null for anything else.</summary>
    public static string? StringOf(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            _ => null,
        }
        : null;
}
