namespace NeuroCards.Core.Publishing;

/// <summary>A delivered video in the card's frame (3:4), with the card its order started from, if any.</summary>
public sealed record PublishableVideo(Guid JobId, int Index, string? Article);
