namespace NeuroCards.Core.Queue;

/// <summary>
/// One claim of a job: the job and the token that claim got. Every write after the claim names both, so a
/// write from an older claim — another worker's, or this process's own before it claimed the job again — is refused.
/// </summary>
public readonly record struct JobLease(Guid JobId, Guid Token);
