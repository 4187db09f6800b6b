using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Outbox;

/// <summary>
/// One thing to tell a chat, kept in the outbox until Telegram has it. A <see cref="Screen"/> is the message whose
/// buttons the chat's next update acts on: a new screen takes the buttons off the one before, and the sender records
/// which message it is.
/// </summary>
public sealed record OutgoingMessage
{
    public required OutgoingKind Kind { get; init; }
    public required long ChatId { get; init; }
    /// <summary>HTML text; a video's caption; an invoice's nothing.</summary>
    public string? Text { get; init; }
    public InlineKeyboardMarkup? Keyboard { get; init; }
    /// <summary>The message an edit changes or whose buttons go.</summary>
    public int? MessageId { get; init; }
    public bool Screen { get; init; }
    public bool LinkPreview { get; init; }
    /// <summary>Telegram file ids: a video's (the first), an album's.</summary>
    public IReadOnlyList<string>? FileIds { get; init; }
    /// <summary>Our own copy of a video, uploaded when there is no file id or Telegram refuses it.</summary>
    public string? StorageKey { get; init; }
    /// <summary>The order whose status message this new message becomes (the worker edits it as the jobs move).</summary>
    public Guid? StatusOfOrder { get; init; }
    public OutgoingInvoice? Invoice { get; init; }

    public static OutgoingMessage Message(long chatId, string text, InlineKeyboardMarkup? keyboard = null, bool screen = false, bool linkPreview = false) =>
        new() { Kind = OutgoingKind.Text, ChatId = chatId, Text = text, Keyboard = keyboard, Screen = screen, LinkPreview = linkPreview };

    public static OutgoingMessage Edit(long chatId, int messageId, string text, InlineKeyboardMarkup? keyboard = null, bool screen = false) =>
        new() { Kind = OutgoingKind.Edit, ChatId = chatId, MessageId = messageId, Text = text, Keyboard = keyboard, Screen = screen };

    public static OutgoingMessage ButtonsOff(long chatId, int messageId) =>
        new() { Kind = OutgoingKind.RemoveButtons, ChatId = chatId, MessageId = messageId };

    public static OutgoingMessage RetireScreen(long chatId) => new() { Kind = OutgoingKind.RetireScreen, ChatId = chatId };

    public static OutgoingMessage Video(long chatId, string? fileId, string? storageKey, string? caption, InlineKeyboardMarkup? keyboard = null) =>
        new() { Kind = OutgoingKind.Video, ChatId = chatId, FileIds = fileId is null ? null : [fileId], StorageKey = storageKey, Text = caption, Keyboard = keyboard };

    public static OutgoingMessage Album(long chatId, IReadOnlyList<string> fileIds) => new() { Kind = OutgoingKind.Album, ChatId = chatId, FileIds = fileIds };

    public static OutgoingMessage StarsInvoice(long chatId, OutgoingInvoice invoice) => new() { Kind = OutgoingKind.Invoice, ChatId = chatId, Invoice = invoice };
}
