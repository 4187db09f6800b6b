namespace NeuroCards.Core.Queue;

/// <summary>The error_class values a failed or retried job records (see kie-api.md).</summary>
public static class FailureClass
{
    public const string Moderation = "moderation";
    public const string Temporary = "temporary";
    public const string RateLimit = "rate_limit";
    public const string OurSide = "our_side";
    public const string BadRequest = "bad_request";
    public const string ProviderFailure = "provider_failure";
    public const string Timeout = "timeout";
    public const string Unknown = "unknown";
}
