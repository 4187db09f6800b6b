namespace NeuroCards.Core.Money;

public abstract record PurchaseResult
{
    /// <param name="PaymentId">The payment credited (for a second charge, the one created for it).</param>
    /// <param name="SecondChargeOf">Set when this was a second charge for an invoice already paid: credited as a payment of its own.</param>
    public sealed record Credited(long UserId, int Credits, int BalanceAfter, Guid? OrderId, Guid PaymentId, Guid? SecondChargeOf = null) : PurchaseResult;

    public sealed record AlreadyCredited(long UserId) : PurchaseResult;

    /// <summary>Unknown payment id, another provider, or a payment that failed or was refunded.</summary>
    public sealed record Rejected(string Reason) : PurchaseResult;
}
