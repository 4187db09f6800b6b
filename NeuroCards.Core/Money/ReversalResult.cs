namespace NeuroCards.Core.Money;

public enum ReversalResult
{
    Reversed,
    /// <summary>The credits are taken back and the payment is 'refunding': the provider is to be asked (again) to return the money.</summary>
    Reversing,
    /// <summary>The credits are taken back but the provider did not return the money yet: run the refund again.</summary>
    ProviderFailed,
    AlreadyReversed,
    NotFound,
    /// <summary>Only a succeeded payment can be refunded.</summary>
    NotPaid,
    /// <summary>Not a payment of the provider the refund is for: nothing was touched.</summary>
    OtherProvider,
    /// <summary>The user has already spent the credits: refunding would take the balance below zero.</summary>
    CreditsSpent,
}
