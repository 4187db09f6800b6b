using NeuroCards.Core.Queue;

namespace NeuroCards.Worker.Jobs;

/// <summary>
/// Carries one claimed job as far as it can: it ends by completing, failing or rescheduling the
/// job through the queue. Cancellation means the lease was lost or the worker is stopping.
/// </summary>
public interface IJobProcessor
{
    Task ProcessAsync(Job job, string workerId, CancellationToken cancellationToken);
}
