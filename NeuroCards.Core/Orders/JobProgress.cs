namespace NeuroCards.Core.Orders;

/// <summary>One job of an order, as its progress line sees it.</summary>
public sealed record JobProgress(string Status, string Stage, DateTime? ProviderCreatedAt, DateTime CreatedAt);
