using NeuroCards.Core.Queue;

namespace NeuroCards.Core.Orders;

/// <summary>One job of an order, as its progress line sees it.</summary>
public sealed record JobProgress(JobStatus Status, JobStage Stage, DateTime? ProviderCreatedAt, DateTime CreatedAt);
