using NeuroCards.Core.Hosting;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Storage;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Users;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.Payments;

namespace NeuroCards.Bot.Outbox;

/// <summary>
/// Sends what the outbox holds for a chat, oldest first, after the work it reports committed, then deletes in one write
/// what Telegram took (a crash in between sends it again: twice is acceptable, lost is not); a passing failure (a 429, a
/// 5xx, the network) stops the chat there and it is tried again later, in order; a lasting refusal (the user blocked the
/// bot, the chat is gone) drops what Telegram will never take.
/// </summary>
public sealed class OutboxSender(TelegramOutbox outbox, ITelegramBotClient bot, IMediaStore store, TelegramFileIds fileIds, OrderTracking tracking,
    UserStore users, ILogger<OutboxSender> logger)
{
    /// <summary>Past this many tries a message that keeps failing for a passing reason is given up (logged as an error).</summary>
    public const int MaxAttempts = 30;

    /// <summary>
    /// Sends what committed work left in the outbox: the chats' messages (claimed here), or those the work inserted
    /// already claimed. The work stands whatever happens here: a failure is logged, and the sweeper (or the chat's next
    /// update) sends what is left.
    /// </summary>
    public async Task TryDeliverAsync(IEnumerable<long> chatIds, ClaimedChat? claimed, CancellationToken cancellationToken)
    {
        try
        {
            if (claimed is not null) await DeliverAsync(claimed, cancellationToken);
            foreach (var chatId in chatIds.Distinct().Where(c => c != claimed?.ChatId))
            {
                await DeliverAsync(await outbox.ClaimAsync(chatId, cancellationToken), cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Messages committed for Telegram could not be sent now; the outbox sweeper sends them");
        }
    }

    public async Task DeliverAsync(long chatId, CancellationToken cancellationToken) =>
        await DeliverAsync(await outbox.ClaimAsync(chatId, cancellationToken), cancellationToken);

    /// <summary>
    /// Sends a claimed chat's messages in order, then records in one write what Telegram took (the rows go), the chat's
    /// screen, and what is to wait or was refused. A process that dies before that write sends those messages again
    /// (twice is acceptable; lost is not).
    /// </summary>
    private async Task DeliverAsync(ClaimedChat chat, CancellationToken cancellationToken)
    {
        var chatId = chat.ChatId;
        var screen = chat.Screen;
        List<long> done = [];
        TimeSpan? wait = null;
        for (var i = 0; i < chat.Messages.Count && wait is null; i++)
        {
            var (id, message, _) = chat.Messages[i];
            try
            {
                screen = await SendAsync(message, screen, cancellationToken);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 403 || e.ErrorCode == 400 && e.Message.Contains("chat not found", StringComparison.OrdinalIgnoreCase))
            {
                logger.LogWarning("Chat {ChatId} cannot be written to ({Reason}); {Count} message(s) dropped", chatId, e.Message, chat.Messages.Count - i);
                done.AddRange(chat.Messages.Skip(i).Select(m => m.Id));
                if (e.ErrorCode == 403) await users.MarkBlockedAsync(chatId, cancellationToken);
                break;
            }
            catch (Exception e) when (IsPassing(e, cancellationToken) && CanWait(chat))
            {
                wait = Delay(e, chat);
                logger.LogWarning(e, "Sending to chat {ChatId} failed for a passing reason; its {Count} message(s) wait {Delay}", chatId, chat.Messages.Count - i, wait);
                continue;
            }
            catch (Exception e) when (e is ApiRequestException || IsPassing(e, cancellationToken))
            {
                // Refused as it is (a 400 no retry mends), or failing for too long: the chat's next messages still go.
                logger.LogError(e, "Telegram refused a {Kind} message for chat {ChatId}; it is dropped", message.Kind, chatId);
            }
            done.Add(id);
        }
        if (chat.Messages.Count == 0) return;
        if (!await outbox.FinishAsync(chat, done, screen, screen != chat.Screen, wait ?? TimeSpan.Zero, cancellationToken))
        {
            logger.LogWarning("Another sender took chat {ChatId} over before this one finished", chatId);
        }
    }

    /// <summary>Sends one message; returns the chat's screen after it.</summary>
    private async Task<int?> SendAsync(OutgoingMessage message, int? screen, CancellationToken cancellationToken)
    {
        var chatId = message.ChatId;
        switch (message.Kind)
        {
            case OutgoingKind.Text:
                if (message.Screen) await ButtonsOffAsync(chatId, screen, cancellationToken);
                var sent = await bot.SendMessage(chatId, message.Text!, ParseMode.Html, replyMarkup: message.Keyboard,
                    linkPreviewOptions: new LinkPreviewOptions { IsDisabled = !message.LinkPreview }, cancellationToken: cancellationToken);
                if (message.StatusOfOrder is { } orderId) await tracking.SetStatusMessageAsync(orderId, sent.MessageId, message.Text!, cancellationToken);
                return message.Screen ? sent.MessageId : screen;
            case OutgoingKind.Edit:
                try
                {
                    await bot.EditMessageText(chatId, message.MessageId!.Value, message.Text!, ParseMode.Html, replyMarkup: message.Keyboard,
                        linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true }, cancellationToken: cancellationToken);
                }
                catch (ApiRequestException e) when (e.ErrorCode == 400 && e.Message.Contains("not modified", StringComparison.OrdinalIgnoreCase))
                {
                }
                catch (ApiRequestException e) when (e.ErrorCode == 400 && message.Screen)
                {
                    // Too old to edit, deleted, or a media message: the screen comes as a new message.
                    return await SendAsync(message with { Kind = OutgoingKind.Text, MessageId = null }, screen, cancellationToken);
                }
                catch (ApiRequestException e) when (e.ErrorCode == 400)
                {
                    logger.LogInformation("Message {MessageId} of chat {ChatId} could not be edited: {Reason}", message.MessageId, chatId, e.Message);
                }
                return message.Screen ? message.MessageId : screen;
            case OutgoingKind.RemoveButtons:
                await ButtonsOffAsync(chatId, message.MessageId, cancellationToken);
                return screen;
            case OutgoingKind.RetireScreen:
                await ButtonsOffAsync(chatId, screen, cancellationToken);
                return null;
            case OutgoingKind.Video:
                await SendVideoAsync(message, cancellationToken);
                return screen;
            case OutgoingKind.Album:
                await bot.SendMediaGroup(chatId, message.FileIds!.Take(10).Select(id => (IAlbumInputMedia)new InputMediaVideo(InputFile.FromFileId(id))),
                    cancellationToken: cancellationToken);
                return screen;
            case OutgoingKind.Invoice:
                var invoice = message.Invoice!;
                await bot.SendInvoice(chatId, invoice.Title, invoice.Description, invoice.Payload, "XTR", [new LabeledPrice(invoice.PriceLabel, invoice.Stars)],
                    cancellationToken: cancellationToken);
                return screen;
            default:
                throw new InvalidDataException($"an outbox message of kind {message.Kind}");
        }
    }

    private async Task SendVideoAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        // A stored video sent before (the demo sample) goes by the file_id Telegram gave it then.
        var remembered = message.FileIds is null && message.StorageKey is not null ? await fileIds.FindAsync(message.StorageKey, cancellationToken) : null;
        if ((remembered is null ? message.FileIds : [remembered]) is [var fileId, ..])
        {
            try
            {
                await bot.SendVideo(message.ChatId, InputFile.FromFileId(fileId), caption: message.Text, parseMode: ParseMode.Html,
                    replyMarkup: message.Keyboard, supportsStreaming: true, cancellationToken: cancellationToken);
                return;
            }
            catch (ApiRequestException e) when (e.ErrorCode == 400 && message.StorageKey is not null)
            {
                logger.LogInformation("Telegram no longer has video {FileId}; sending our own copy", fileId);
                if (remembered is not null) await fileIds.ForgetAsync(message.StorageKey!, cancellationToken);
            }
        }
        await using var media = message.StorageKey is null ? null : await store.OpenReadAsync(message.StorageKey, cancellationToken);
        if (media is null)
        {
            logger.LogWarning("Video {Key} for chat {ChatId} is gone from storage; not sent", message.StorageKey, message.ChatId);
            return;
        }
        var sent = await bot.SendVideo(message.ChatId, InputFile.FromStream(media.Content, "neurocards.mp4"), caption: message.Text, parseMode: ParseMode.Html,
            replyMarkup: message.Keyboard, supportsStreaming: true, cancellationToken: cancellationToken);
        if (sent.Video?.FileId is { } uploaded) await fileIds.RememberAsync(message.StorageKey!, uploaded, cancellationToken);
    }

    /// <summary>A step that is done keeps its text and loses its buttons (already without them, deleted or too old: nothing to do).</summary>
    private async Task ButtonsOffAsync(long chatId, int? messageId, CancellationToken cancellationToken)
    {
        if (messageId is null) return;
        try
        {
            await bot.EditMessageReplyMarkup(chatId, messageId.Value, null, cancellationToken: cancellationToken);
        }
        catch (ApiRequestException e) when (e.ErrorCode == 400)
        {
        }
    }

    private static bool CanWait(ClaimedChat chat) => chat.Messages.Count > 0 && AttemptsOf(chat) < MaxAttempts;

    // The claim counted one more try for every message of the chat; the first is the one that failed.
    private static int AttemptsOf(ClaimedChat chat) => chat.Messages[0].Attempts;

    private static TimeSpan Delay(Exception e, ClaimedChat chat) =>
        e is ApiRequestException { Parameters.RetryAfter: { } after } ? TimeSpan.FromSeconds(after)
            : Backoff.Exponential(AttemptsOf(chat), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));

    public static bool IsPassing(Exception e, CancellationToken cancellationToken) => e switch
    {
        ApiRequestException api => api.ErrorCode is 429 or >= 500,
        RequestException or HttpRequestException or TimeoutException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
