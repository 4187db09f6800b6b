namespace NeuroCards.Core.Orders;

/// <summary>What an order's status message is built from: where it is shown and what it says now.</summary>
public sealed record OrderStatusView(long ChatId, int? StatusMessageId, string Language, int Count, string? StatusText);
