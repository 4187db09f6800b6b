using NeuroCards.Core.Queue;

namespace NeuroCards.Worker.Pipeline;

/// <summary>
/// One claimed job on its way through the stages: the claim's lease (every write names it), the job as last read, and
/// the worker's stop request, which only the stages that can hand the job back without loss listen to.
/// </summary>
public sealed class JobRun(Job job, CancellationToken stopping)
{
    public JobLease Lease { get; } = job.Lease;

    public Job Job { get; set; } = job;

    /// <summary>Set when the worker is stopping: a stage that is only waiting hands the job back; paid and delivering steps finish.</summary>
    public CancellationToken Stopping { get; } = stopping;
}
