namespace NeuroCards.Core.Orders;

/// <summary>A made video that can be sent again: by its Telegram file id, or from our storage.</summary>
public sealed record FinishedVideo(Guid Id, Guid OrderId, int Index, int Total, string? TelegramFileId, string? ResultKey);
