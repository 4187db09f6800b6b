namespace NeuroCards.Core.Queue;

/// <summary>The error_class values a failed or retried job records (see kie-api.md).</summary>
public static class FailureClass
{
    public const string Moderation = "moderation";
    public const string Temporary = "temporary";
    public const string RateLimit = "rate_limit";
    public const string OurSide = "our_side";
    public const string BadRequest = "bad_request";
    /// <summary>The provider could not fetch our photo: often our media host restarting, so tried again before the photo is blamed.</summary>
    public const string ImageFetch = "image_fetch";
    public const string ProviderFailure = "provider_failure";
    public const string Timeout = "timeout";
    public const string Unknown = "unknown";
}
