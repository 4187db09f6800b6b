namespace NeuroCards.Bot.Cutover;

/// <summary>A finished job of the previous NeuroCards with the Telegram file_id of its video: re-sendable from the account.</summary>
public sealed record LegacyVideo(string Id, long TgUserId, string ProductName, string VideoFileId, int? CreditsDeducted, DateTime CreatedAt, DateTime? FinishedAt);
