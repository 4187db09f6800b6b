namespace NeuroCards.Worker.Jobs;

/// <summary>A write found the job no longer ours (the lease expired and another worker took it): stop touching it.</summary>
public sealed class LeaseLostException(Guid jobId) : Exception($"the lease on job {jobId} was lost");
