namespace NeuroCards.Bot.Cutover;

/// <summary>A job the previous NeuroCards has not finished: the cutover waits for it.</summary>
public sealed record LegacyJob(string Id, long TgUserId, string Status, DateTime CreatedAt);
