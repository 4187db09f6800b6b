namespace NeuroCards.Core.Queue;

/// <summary>One scene of a card job (job_scenes): its clip's paid task, and the clip once stored.</summary>
public sealed record JobScene
{
    public Guid JobId { get; init; }
    public int Scene { get; init; }
    public int Attempt { get; init; }
    public string? ProviderTaskId { get; init; }
    public string? ProviderKeyId { get; init; }
    public string? ProviderState { get; init; }
    public string? ProviderResultUrl { get; init; }
    public string? ClipKey { get; init; }
}
