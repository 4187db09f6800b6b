namespace NeuroCards.Core.Broadcasts;

/// <summary>A running broadcast and the last user it reached (its cursor).</summary>
public sealed record Broadcast(long Id, string Text, long LastUserId);
