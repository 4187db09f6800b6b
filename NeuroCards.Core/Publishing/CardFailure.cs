namespace NeuroCards.Core.Publishing;

/// <summary>One card of a batch that did not get its video, and why (the video's failure class, or the marketplace's words as the worker put them).</summary>
public sealed record CardFailure(string Article, string? ErrorClass, string? PublicationError);
