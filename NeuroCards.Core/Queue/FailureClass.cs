namespace NeuroCards.Core.Queue;

/// <summary>
/// Why a step failed (jobs.error_class, stored as snake_case text): it decides whether the job is tried again, refunded,
/// and what the seller reads.
/// </summary>
public enum FailureClass
{
    /// <summary>The provider refused the photo or the prompt.</summary>
    Moderation,

    /// <summary>Busy or unreachable for now: tried again later.</summary>
    Temporary,

    RateLimit,

    /// <summary>Our key, balance or configuration: the seller is refunded and operators are alerted.</summary>
    OurSide,

    /// <summary>The input itself is unusable (a photo the provider cannot read).</summary>
    BadRequest,

    /// <summary>The provider could not fetch the photo from our media link: tried again before the photo is blamed.</summary>
    ImageFetch,

    ProviderFailure,
    Timeout,
    Unknown,

    /// <summary>KIE no longer serves the model (unknown model, feature disabled): the job moves to the next model, never the seller's fault.</summary>
    ModelUnavailable,

    /// <summary>The user blocked the bot: a made video cannot be delivered (never stored as a job's failure).</summary>
    Blocked,
}
