using System.Text.Json.Serialization;

namespace NeuroCards.Bot.Payments.YooKassa;

public sealed record YooKassaAmount([property: JsonPropertyName("value")] string Value, [property: JsonPropertyName("currency")] string Currency);
