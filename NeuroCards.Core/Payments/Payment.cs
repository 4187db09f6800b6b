namespace NeuroCards.Core.Payments;

public sealed record Payment
{
    public Guid Id { get; init; }
    public long UserId { get; init; }
    public PaymentProvider Provider { get; init; }
    public string? ProviderPaymentId { get; init; }
    public PaymentStatus Status { get; init; } = PaymentStatus.Pending;
    public int? PackId { get; init; }
    public int Credits { get; init; }
    public decimal Amount { get; init; }
    public string Currency { get; init; } = "";
    public Guid? OrderId { get; init; }
    public string? ConfirmationUrl { get; init; }
    public DateTime CreatedAt { get; init; }
}
