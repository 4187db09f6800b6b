using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuroCards.Core.Generation.Kie;

/// <summary>Every KIE response (and callback) body: {"code", "msg", "data"}.</summary>
public sealed record KieEnvelope(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string? Msg,
    [property: JsonPropertyName("data")] JsonElement Data)
{
    public string? DataString(string name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => v.GetRawText(),
            }
            : null;

    public JsonElement? DataProperty(string name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var v) ? v : null;
}
