namespace NeuroCards.Core.Money;

public enum RefundResult
{
    Refunded,
    AlreadyRefunded,
    /// <summary>The generation succeeded: the video exists, so no refund (delivery is retried instead).</summary>
    NotRefundable,
    NotFound,
}
