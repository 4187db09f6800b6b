using NeuroCards.Core.Queue;

namespace NeuroCards.Core.Orders;

/// <summary>An order that just finished: who to tell, the failure class of each failed video and the balance after refunds.</summary>
public sealed record ClosedOrder(long UserId, long ChatId, string Language, int Count, int PricePerVideo, IReadOnlyList<FailureClass> Failures, int Balance);
