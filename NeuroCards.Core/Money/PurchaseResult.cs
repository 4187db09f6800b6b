namespace NeuroCards.Core.Money;

public abstract record PurchaseResult
{
    public sealed record Credited(long UserId, int Credits, int BalanceAfter, Guid? OrderId) : PurchaseResult;

    public sealed record AlreadyCredited(long UserId) : PurchaseResult;

    /// <summary>Unknown payment id, another provider, or a payment that failed or was refunded.</summary>
    public sealed record Rejected(string Reason) : PurchaseResult;
}
