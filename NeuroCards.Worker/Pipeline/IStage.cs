using NeuroCards.Core.Queue;

namespace NeuroCards.Worker.Pipeline;

/// <summary>
/// One step of a job (prompt, render, store, deliver). A stage records what it made on the job before it returns,
/// so a worker that takes the job over starts at the first stage that is not <see cref="IsDone"/>.
/// </summary>
public interface IStage
{
    /// <summary>The job's stage column while this stage runs (what the progress message shows).</summary>
    JobStage Name { get; }

    /// <summary>The longest one run of this stage may take; past it the run is cancelled and counts as a failure.</summary>
    TimeSpan Timeout { get; }

    bool IsDone(Job job);

    Task<StageResult> RunAsync(JobRun run, CancellationToken cancellationToken);
}
