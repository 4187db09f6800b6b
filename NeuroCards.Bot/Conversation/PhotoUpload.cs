namespace NeuroCards.Bot.Conversation;

/// <summary>
/// A seller's image for an order: stored under <see cref="Key"/>, or refused with the text key of what is wrong with it.
/// </summary>
public sealed record PhotoUpload(Guid OrderId, string? TelegramFileId, string? Key, string? Problem);
