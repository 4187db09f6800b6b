namespace NeuroCards.Bot.Cutover;

/// <summary>A seller of the previous NeuroCards (users): the Telegram id everything keys on, and the balance left.</summary>
public sealed record LegacyUser(long TgUserId, string? Username, int Credits);
