using NeuroCards.Core.Data;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Orders;

namespace NeuroCards.Core.Queue;

/// <summary>One video of an order: its inputs, its place in the queue and every step recorded so far.</summary>
public sealed record Job
{
    public Guid Id { get; init; }
    public Guid OrderId { get; init; }
    public long UserId { get; init; }
    public long ChatId { get; init; }
    public int Index { get; init; }

    public string PhotoKey { get; init; } = "";
    public string Description { get; init; } = "";
    public VideoTemplate Template { get; init; }
    public string? Wishes { get; init; }
    public string? UserPrompt { get; init; }
    /// <summary>The model rendering the job (the next one of the chain when the ordered one was retired).</summary>
    public string Model { get; init; } = "";

    /// <summary>What the seller ordered, when it differs from <see cref="Model"/>.</summary>
    public string? OrderedModel { get; init; }
    public string Language { get; init; } = "ru";

    public JobStatus Status { get; init; } = JobStatus.Queued;
    public JobStage Stage { get; init; } = JobStage.Queued;
    public int Attempt { get; init; }
    public int DeliveryAttempt { get; init; }
    public string? LeaseOwner { get; init; }
    public Guid? LeaseToken { get; init; }
    public int FailureCount { get; init; }
    public int Takeovers { get; init; }
    public DateTime? LockedUntil { get; init; }
    public DateTime NotBefore { get; init; }

    public string? FinalPrompt { get; init; }
    public string? Provider { get; init; }
    public string? ProviderTaskId { get; init; }
    public string? ProviderKeyId { get; init; }
    public string? ProviderCallbackToken { get; init; }
    public DateTime? ProviderCreatedAt { get; init; }
    public string? ProviderState { get; init; }
    public string? ProviderResultUrl { get; init; }
    public DateTime? RenderDeadline { get; init; }
    public string? ResultKey { get; init; }
    public long? ResultSize { get; init; }
    public double? ResultDuration { get; init; }
    public int? ResultWidth { get; init; }
    public int? ResultHeight { get; init; }
    public DateTime? SucceededAt { get; init; }
    public string? TelegramFileId { get; init; }
    public DateTime? DeliveredAt { get; init; }

    public string? ErrorClass { get; init; }

    /// <summary>The last failure recorded, typed (null when none, or a class this release does not know).</summary>
    public FailureClass? Failure => DbText.TryParse<FailureClass>(ErrorClass, out var failure) ? failure : null;
    public string? ErrorText { get; init; }
    public DateTime? FailedAt { get; init; }
    public string? TraceContext { get; init; }
    public VideoFormat Format { get; init; } = VideoFormat.Vertical;

    /// <summary>Whether captions are burned in; their lines are written with the prompt.</summary>
    public bool Captions { get; init; }

    public string[]? CaptionLines { get; init; }
    /// <summary>A catalogue batch's card: its video is published to the card instead of sent to the chat.</summary>
    public bool InBatch { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    /// <summary>The claim this copy of the job was read under (empty for a job read outside a claim).</summary>
    public JobLease Lease => new(Id, LeaseToken ?? Guid.Empty);
}
