using System.Text.Json.Serialization;

namespace NeuroCards.Bot.Payments.YooKassa;

/// <summary>The fields of a YooKassa payment object we rely on.</summary>
public sealed record YooKassaPayment(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("paid")] bool Paid,
    [property: JsonPropertyName("amount")] YooKassaAmount Amount,
    [property: JsonPropertyName("confirmation")] YooKassaConfirmation? Confirmation,
    [property: JsonPropertyName("metadata")] Dictionary<string, string>? Metadata);

public sealed record YooKassaAmount([property: JsonPropertyName("value")] string Value, [property: JsonPropertyName("currency")] string Currency);

public sealed record YooKassaConfirmation(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("confirmation_url")] string? ConfirmationUrl);
