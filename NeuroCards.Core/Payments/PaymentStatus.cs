namespace NeuroCards.Core.Payments;

/// <summary>Where a payment is in its life (payments.status, stored as text).</summary>
public enum PaymentStatus
{
    Pending,
    Succeeded,
    Failed,

    /// <summary>The credits are taken back; the provider has not yet confirmed returning the money.</summary>
    Refunding,
    Refunded,
}
