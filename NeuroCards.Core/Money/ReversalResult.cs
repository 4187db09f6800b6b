namespace NeuroCards.Core.Money;

public enum ReversalResult
{
    Reversed,
    AlreadyReversed,
    NotFound,
    /// <summary>Only a succeeded payment can be refunded.</summary>
    NotPaid,
    /// <summary>The user has already spent the credits: refunding would take the balance below zero.</summary>
    CreditsSpent,
}
