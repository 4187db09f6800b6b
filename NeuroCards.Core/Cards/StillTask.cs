namespace NeuroCards.Core.Cards;

/// <summary>One preview still's KIE task: which scene (0-based), its id and the key that created it.</summary>
public sealed record StillTask(int Scene, string TaskId, string KeyId);
