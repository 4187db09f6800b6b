using NeuroCards.Core.Queue;

namespace NeuroCards.Worker.Pipeline;

/// <summary>
/// Carries one claimed job as far as it can: it ends by completing, failing, rescheduling or releasing the job through
/// the queue. <paramref name="stopping"/> asks it to hand the job back at a safe point; <c>cancellationToken</c> means
/// stop now (the lease was lost, or the shutdown grace ran out).
/// </summary>
public interface IJobProcessor
{
    Task ProcessAsync(Job job, CancellationToken stopping, CancellationToken cancellationToken);
}
