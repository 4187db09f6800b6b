using NeuroCards.Bot.Outbox;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Data;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Bot.Intake;

/// <summary>What the bot says outside the conversation: a one-line hint (a group, an edited message) and the apology for an update that failed.</summary>
public sealed class UpdateReplies(Db db, ProcessedUpdates processed, TelegramOutbox outbox, OutboxSender sender, ITelegramBotClient bot,
    TextCatalog texts, ILogger<UpdateReplies> logger)
{
    private string? _username;

    /// <summary>Recorded with the update id in one transaction, so said once however often the update comes.</summary>
    public async Task SayOnceAsync(long updateId, long chatId, string text, CancellationToken cancellationToken)
    {
        var (recorded, claimed) = await db.TransactionAsync(async ct => await processed.TryRecordAsync(updateId, ct)
            ? (true, await outbox.AddAsync([OutgoingMessage.Message(chatId, text)], claimForCaller: true, ct))
            : (false, null), cancellationToken);
        if (!recorded) return;
        await sender.TryDeliverAsync([chatId], claimed, cancellationToken);
    }

    public async Task<string?> BotUsernameAsync(CancellationToken cancellationToken) => _username ??= (await bot.GetMe(cancellationToken)).Username;

    /// <summary>A short friendly word, never the exception; the callback's spinner stops too.</summary>
    public async Task ApologiseAsync(Update update, long chatId, CancellationToken cancellationToken)
    {
        var language = TextCatalog.LanguageFor((update.Message?.From ?? update.CallbackQuery?.From)?.LanguageCode);
        try
        {
            if (update.CallbackQuery is { } query) await bot.AnswerCallbackQuery(query.Id, cancellationToken: cancellationToken);
        }
        catch (RequestException)
        {
        }
        try
        {
            await bot.SendMessage(chatId, texts.Get(language, "error.generic"), ParseMode.Html, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is RequestException or HttpRequestException)
        {
            logger.LogWarning(e, "Could not even apologise to chat {ChatId}", chatId);
        }
    }
}
