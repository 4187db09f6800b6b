using NeuroCards.Core.Queue;

namespace NeuroCards.Core.Orders;

/// <summary>
/// An order that just finished: who to tell, the failure class of each failed video, how many videos were made but could
/// not be delivered (kept, and sent again from the account), and the balance after refunds.
/// </summary>
public sealed record ClosedOrder(long UserId, long ChatId, string Language, int Count, int PricePerVideo, IReadOnlyList<FailureClass> Failures,
    int Undelivered, int Balance)
{
    /// <summary>Delivered videos in the card's frame (3:4): «📤 На карточку» is offered for them.</summary>
    public int ForCards { get; init; }
}
