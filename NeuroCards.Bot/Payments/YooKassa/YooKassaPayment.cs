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
