namespace NeuroCards.Core.Orders;

/// <summary>One video of an order as the Mini App's order list shows it: where it is, why it failed, whether its credit came back.</summary>
public sealed record OrderJobLine(Guid OrderId, Guid Id, int Index, string Status, string Stage, string? ErrorClass, bool Refunded);
