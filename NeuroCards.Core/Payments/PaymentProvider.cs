namespace NeuroCards.Core.Payments;

/// <summary>Who took the money (payments.provider, stored as text).</summary>
public enum PaymentProvider
{
    Stars,
    Yookassa,
    Test,
}
