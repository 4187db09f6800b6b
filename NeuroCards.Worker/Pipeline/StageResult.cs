using NeuroCards.Core.Queue;

namespace NeuroCards.Worker.Pipeline;

/// <summary>How a stage ended; the runner turns it into the job's next state.</summary>
public abstract record StageResult
{
    private StageResult()
    {
    }

    /// <summary>Recorded: go on to the next stage.</summary>
    public sealed record Next : StageResult;

    /// <summary>The job ended (delivered, or marked undeliverable) inside the stage.</summary>
    public sealed record Finished : StageResult;

    /// <summary>Not a failure: come back at <paramref name="NotBefore"/> (the lease is given up meanwhile).</summary>
    public sealed record Later(DateTime NotBefore) : StageResult;

    /// <summary>The worker is stopping and the stage reached a point where the job can be handed back.</summary>
    public sealed record Released : StageResult;

    /// <summary>Something went wrong; the failure policy decides between another try and the end (with a refund if no video).</summary>
    /// <param name="Final">No further try makes sense (attempts exhausted, a class that never heals).</param>
    public sealed record Failed(FailureClass FailureClass, string Reason, bool Final = false) : StageResult;

    public static readonly StageResult Continue = new Next();
    public static readonly StageResult Ended = new Finished();
    public static readonly StageResult HandedBack = new Released();
}
