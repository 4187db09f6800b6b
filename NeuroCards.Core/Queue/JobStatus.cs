namespace NeuroCards.Core.Queue;

/// <summary>Where a job is in its life (jobs.status, stored as text).</summary>
public enum JobStatus
{
    Queued,
    Running,
    Delivered,
    Failed,
    Undeliverable,
}
