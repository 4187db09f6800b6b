namespace NeuroCards.Bot.Outbox;

/// <summary>A chat's waiting messages, oldest first, claimed by one sender; and the chat's screen as last recorded.</summary>
public sealed record ClaimedChat(long ChatId, Guid Claim, int? Screen, IReadOnlyList<ClaimedMessage> Messages);
