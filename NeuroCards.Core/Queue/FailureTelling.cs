namespace NeuroCards.Core.Queue;

/// <summary>What a seller is told of a failure (worker.fail.*): retried-out provider trouble reads as "busy"; anything unexpected as unknown.</summary>
public static class FailureTelling
{
    public static FailureClass ToldAs(FailureClass failureClass) => failureClass switch
    {
        FailureClass.Moderation or FailureClass.OurSide or FailureClass.BadRequest or FailureClass.Timeout or FailureClass.Temporary
            or FailureClass.ModelUnavailable => failureClass,
        FailureClass.RateLimit or FailureClass.ProviderFailure => FailureClass.Temporary,
        _ => FailureClass.Unknown,
    };
}
