namespace NeuroCards.Core.Orders;

/// <summary>An order with its jobs and how many jobs of other orders are queued ahead of its first queued one.</summary>
public sealed record OrderProgressSnapshot(OrderStatusView Order, IReadOnlyList<JobProgress> Jobs, int Ahead);
