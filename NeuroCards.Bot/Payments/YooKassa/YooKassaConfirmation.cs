using System.Text.Json.Serialization;

namespace NeuroCards.Bot.Payments.YooKassa;

public sealed record YooKassaConfirmation(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("confirmation_url")] string? ConfirmationUrl);
