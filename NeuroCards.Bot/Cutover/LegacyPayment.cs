namespace NeuroCards.Bot.Cutover;

/// <summary>A completed payment of the previous NeuroCards (payments), kept as history.</summary>
public sealed record LegacyPayment(Guid Id, long TgUserId, string? PaymentProvider, string? PaymentId, int CreditsPurchased,
    decimal? AmountRub, decimal? AmountUsd, string? Currency, DateTime CreatedAt, DateTime? CompletedAt);
