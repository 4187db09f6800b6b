using NeuroCards.Core.Queue;

namespace NeuroCards.Worker.Pipeline;

/// <summary>A write found the job no longer held by this claim (the lease expired and it was claimed again): stop touching it.</summary>
public sealed class LeaseLostException(JobLease lease) : Exception($"the lease on job {lease.JobId} was lost");
