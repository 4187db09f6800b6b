namespace NeuroCards.Core.Orders;

public abstract record ConfirmOrderResult
{
    /// <summary>The order is charged and its jobs exist. <paramref name="AlreadyConfirmed"/> is true for repeats, which charge nothing.</summary>
    public sealed record Confirmed(IReadOnlyList<Guid> JobIds, int Cost, int BalanceAfter, bool AlreadyConfirmed) : ConfirmOrderResult;

    public sealed record InsufficientBalance(int Cost, int Balance, int Missing) : ConfirmOrderResult;

    public sealed record NotFound : ConfirmOrderResult;

    /// <summary>A draft without all of its inputs (photo, description, template, model, count) cannot be charged.</summary>
    public sealed record Incomplete(string MissingField) : ConfirmOrderResult;

    public sealed record Cancelled : ConfirmOrderResult;
}
