using System.Text;
using System.Text.Json.Nodes;

namespace NeuroCards.Core.Marketplaces.Wildberries;

/// <summary>
/// What a WB API token says of itself (its JWT claims, read without the signature, which only WB can check): its type,
/// data categories as bits of <c>s</c> (bit 1 «Контент», bit 30 read-only), <c>t</c> for a sandbox token, the seller
/// (<c>sid</c>) and the expiry. WB's own decoder (dev.wildberries.ru/jwt) reads the same claims.
/// </summary>
public sealed record WildberriesToken(WildberriesTokenType Type, bool Content, bool ReadOnly, DateTime? ExpiresAt, string? SellerId)
{
    private const long ContentBit = 1L << 1;
    private const long ReadOnlyBit = 1L << 30;

    /// <summary>The type claim's values, as WB's decoder names them.</summary>
    private static readonly Dictionary<int, WildberriesTokenType> Types = new()
    {
        [1] = WildberriesTokenType.Basic,
        [2] = WildberriesTokenType.Personal,
        [3] = WildberriesTokenType.Service,
        [4] = WildberriesTokenType.Test,
    };

    /// <summary>Null when the text is not a JWT at all (a typo, another marketplace's key).</summary>
    public static WildberriesToken? Parse(string text)
    {
        var parts = text.Trim().Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0) return null;
        JsonObject? claims;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            claims = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or ArgumentException)
        {
            return null;
        }
        if (claims is null) return null;
        var scopes = Long(claims["s"]) ?? 0;
        var type = claims["t"] is JsonValue t && t.TryGetValue(out bool sandbox) && sandbox ? WildberriesTokenType.Test
            : Long(claims["acc"]) is { } acc && Types.TryGetValue((int)acc, out var known) ? known : WildberriesTokenType.Unknown;
        var expires = Long(claims["exp"]) is { } exp ? DateTimeOffset.FromUnixTimeSeconds(exp).UtcDateTime : (DateTime?)null;
        return new WildberriesToken(type, (scopes & ContentBit) != 0, (scopes & ReadOnlyBit) != 0, expires,
            claims["sid"] is JsonValue sid ? sid.ToString() : claims["oid"] is JsonValue oid ? oid.ToString() : null);
    }

    private static long? Long(JsonNode? node) => node is JsonValue value && value.TryGetValue(out long n) ? n
        : node is JsonValue d && d.TryGetValue(out double x) ? (long)x : null;
}
