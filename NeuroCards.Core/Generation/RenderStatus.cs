using NeuroCards.Core.Queue;

namespace NeuroCards.Core.Generation;

public abstract record RenderStatus
{
    public sealed record Pending(string State) : RenderStatus;

    public sealed record Succeeded(Uri ResultUrl) : RenderStatus;

    public sealed record Failed(FailureClass FailureClass, string Reason) : RenderStatus;

    /// <summary>We could not ask (network, 5xx, malformed answer): ask again later, it says nothing about the task.</summary>
    public sealed record Unavailable(string Reason) : RenderStatus;
}
