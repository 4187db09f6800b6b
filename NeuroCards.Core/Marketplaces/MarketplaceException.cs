namespace NeuroCards.Core.Marketplaces;

/// <summary>A marketplace API refused or failed a call. <see cref="Reason"/> is the marketplace's own text (never a secret).</summary>
public sealed class MarketplaceException(MarketplaceError error, string reason, TimeSpan? retryAfter = null)
    : Exception($"{error}: {reason}")
{
    public MarketplaceError Error { get; } = error;
    public string Reason { get; } = reason;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
