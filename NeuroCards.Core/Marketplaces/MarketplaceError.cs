namespace NeuroCards.Core.Marketplaces;

/// <summary>What a marketplace's answer means for us: each kind is handled one way (ask again, wait, show, retry).</summary>
public enum MarketplaceError
{
    /// <summary>401: the token expired or was revoked; the seller connects a new one.</summary>
    Unauthorized,

    /// <summary>403: the token lacks the category or access this needs.</summary>
    Forbidden,

    /// <summary>429: wait as long as the marketplace says.</summary>
    RateLimited,

    /// <summary>400/404/422: the marketplace refused this request; its text is shown to the seller.</summary>
    Rejected,

    /// <summary>5xx or no answer: try again later.</summary>
    Unavailable,
}
