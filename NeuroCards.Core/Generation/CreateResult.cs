using NeuroCards.Core.Queue;

namespace NeuroCards.Core.Generation;

public abstract record CreateResult
{
    /// <summary>The task exists; <paramref name="KeyId"/> names the API key that must be used to ask about it.</summary>
    public sealed record Created(string TaskId, string KeyId) : CreateResult;

    public sealed record Failed(FailureClass FailureClass, string Reason) : CreateResult;

    /// <summary>The request may or may not have created a (paid) task: never simply create another.</summary>
    public sealed record Unknown(string Reason) : CreateResult;

    /// <summary>Nothing was sent (every key resting, the circuit open): no task exists, so it is no attempt either.</summary>
    public sealed record NotSent(FailureClass FailureClass, string Reason) : CreateResult;
}
