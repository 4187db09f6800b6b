using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using NeuroCards.Bot.Conversation;
using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Payments;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Data;
using NeuroCards.Core.Money;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Bot.Intake;

/// <summary>
/// Handles one update, exactly once: the update id is recorded in the transaction that writes the
/// conversation's new state. Updates of one chat run one after another; different chats in parallel.
/// A failure for a passing reason (database, pool, network) is reported to the caller so the update is not
/// acknowledged and comes again; any other failure is logged and the user gets a short friendly message,
/// never the exception.
/// </summary>
public sealed class UpdateProcessor(
    Db db,
    NpgsqlDataSource dataSource,
    ConversationStore conversations,
    ProcessedUpdates processed,
    Ledger ledger,
    UpdateRouter router,
    ITelegramBotClient bot,
    TextCatalog texts,
    IPaymentsFlow payments,
    UpdatePrefetch prefetch,
    TelegramOutbox outbox,
    OutboxSender sender,
    IOptions<TelegramOptions> telegram,
    IOptions<BotOptions> botOptions,
    ILogger<UpdateProcessor> logger)
{
    public static readonly ActivitySource Activity = new("NeuroCards.Bot");
    private readonly ChatGates _chats = new();

    // How often each update failed for a passing reason: past MaxRedeliveries it is treated as a lasting failure, so one
    // update that keeps failing cannot hold its chat (and, when polling, the offset) for ever.
    private readonly ConcurrentDictionary<int, int> _passingFailures = new();

    public const int MaxRedeliveries = 5;

    // An update does all its reading and writing in its unit of work (one connection, Db.TransactionAsync), so updates in hand are
    // limited by the pool less a quarter: that quarter is for the background services and the few payment steps that
    // commit on their own. A burst of chats waits here for a turn instead of taking every connection.
    // Behind a transaction pooler, each replica's pool is its share of the pooler's server connections.
    private readonly SemaphoreSlim _slots = new(botOptions.Value.MaxConcurrentUpdates ?? ConcurrentUpdates(dataSource));

    public static int ConcurrentUpdates(NpgsqlDataSource dataSource)
    {
        var pool = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize;
        return Math.Max(1, pool - Math.Max(1, pool / 4));
    }

    /// <summary>Chats with an update being handled or waiting; a quiet chat holds no gate.</summary>
    public int OpenChatGates => _chats.Count;

    public static long? ChatOf(Update update) => update.Message?.Chat.Id ?? update.EditedMessage?.Chat.Id
        ?? update.CallbackQuery?.Message?.Chat.Id ?? update.CallbackQuery?.From.Id ?? update.PreCheckoutQuery?.From.Id;

    /// <summary>
    /// Handles the update; returns false when it failed for a passing reason and must be delivered again
    /// (webhook: answer 5xx; polling: do not confirm its offset). A redelivery of a handled update changes nothing.
    /// </summary>
    public async Task<bool> ProcessAsync(Update update, CancellationToken cancellationToken)
    {
        using var activity = Activity.StartActivity("telegram update " + update.Type, ActivityKind.Consumer);
        activity?.SetTag("telegram.update_id", update.Id);
        var chatId = ChatOf(update);
        if (chatId is null) return true;
        using var gate = await _chats.EnterAsync(chatId.Value, cancellationToken);
        BotContext? handled = null;
        await _slots.WaitAsync(cancellationToken);
        try
        {
            handled = await HandleAsync(update, chatId.Value, cancellationToken);
        }
        catch (Exception e) when (IsPassing(e, cancellationToken) && PassingFailure(update.Id) <= MaxRedeliveries)
        {
            logger.LogWarning(e, "Update {UpdateId} of chat {ChatId} failed for a passing reason; it will be handled again", update.Id, chatId);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Update {UpdateId} of chat {ChatId} failed", update.Id, chatId);
            await ApologiseAsync(update, chatId.Value, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
        _passingFailures.TryRemove(update.Id, out _);
        // Committed: now Telegram hears of it, still in the chat's turn (its next update waits) but holding no connection.
        if (handled is not null) await FollowUpAsync(handled, cancellationToken);
        return true;
    }

    private int PassingFailure(int updateId)
    {
        // An update Telegram stopped sending (or sent to another replica) leaves its count behind: keep the map small.
        if (_passingFailures.Count > 10_000) _passingFailures.Clear();
        return _passingFailures.AddOrUpdate(updateId, 1, (_, n) => n + 1);
    }

    /// <summary>Failures that another try a moment later is likely to get past: nothing was decided, nothing is lost.</summary>
    public static bool IsPassing(Exception e, CancellationToken cancellationToken) => e switch
    {
        NpgsqlException { IsTransient: true } => true,
        TimeoutException or HttpRequestException => true,
        ApiRequestException api => api.ErrorCode is 429 or >= 500,
        RequestException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>Handles the update and commits; returns what it has to say afterwards, or null when it said it already.</summary>
    private async Task<BotContext?> HandleAsync(Update update, long chatId, CancellationToken cancellationToken)
    {
        if (update.PreCheckoutQuery is { } preCheckout)
        {
            // Must be answered within 10 s and needs no conversation. A repeated delivery is answered again: Telegram
            // refuses the second answer, which changes nothing.
            await payments.HandlePreCheckoutAsync(preCheckout, cancellationToken);
            return null;
        }
        var from = update.Message?.From ?? update.EditedMessage?.From ?? update.CallbackQuery?.From;
        if (from is null || from.IsBot) return null;
        var chatType = update.Message?.Chat.Type ?? update.EditedMessage?.Chat.Type ?? update.CallbackQuery?.Message?.Chat.Type ?? ChatType.Private;
        var language = TextCatalog.LanguageFor(from.LanguageCode);

        if (chatType != ChatType.Private)
        {
            if (update.Message is not null) await SayOnceAsync(update.Id, chatId, texts.Get(language, "group.refuse", ("bot", await UsernameAsync(cancellationToken))), cancellationToken);
            return null;
        }

        var user = (await ledger.EnsureUserAsync(from.Id, from.Username, from.FirstName, language, cancellationToken)).User;
        if (update.EditedMessage is not null)
        {
            await SayOnceAsync(update.Id, chatId, texts.Get(user.Language, "edited.hint"), cancellationToken);
            return null;
        }

        // Slow and needing no transaction: a photo or a Wildberries card for the draft is fetched before the update takes its connection.
        var prefetched = await prefetch.LoadAsync(update, chatId, cancellationToken);
        return await db.TransactionAsync(async ct =>
        {
            var session = await conversations.BeginAsync(update.Id, chatId, from.Id, router.InitialState, ct);
            if (session is null)
            {
                logger.LogInformation("Update {UpdateId} was handled before; skipped", update.Id);
                return null;
            }
            var context = new BotContext(update, user, session, bot, texts, telegram.Value.Admins.Contains(from.Id)) { Prefetched = prefetched };
            logger.LogDebug("Update {UpdateId} ({Type}) for chat {ChatId} in state {State}", update.Id, update.Type, chatId, session.State);
            await router.RouteAsync(context, ct);
            await context.Answer(cancellationToken: ct);
            context.Claimed = await outbox.AddAsync(context.Outgoing, claimForCaller: true, ct);
            await conversations.SaveAsync(session, ct);
            return context;
        }, cancellationToken);
    }

    /// <summary>A one-message answer outside the conversation (a group, an edited message): recorded with the update id, so said once.</summary>
    private async Task SayOnceAsync(long updateId, long chatId, string text, CancellationToken cancellationToken)
    {
        var (recorded, claimed) = await db.TransactionAsync(async ct => await processed.TryRecordAsync(updateId, ct)
            ? (true, await outbox.AddAsync([OutgoingMessage.Message(chatId, text)], claimForCaller: true, ct))
            : (false, null), cancellationToken);
        if (!recorded) return;
        await sender.TryDeliverAsync([chatId], claimed, cancellationToken);
    }

    private string? _username;

    private async Task<string?> UsernameAsync(CancellationToken cancellationToken) => _username ??= (await bot.GetMe(cancellationToken)).Username;

    /// <summary>After the commit: the callback's answer first (the spinner stops), then the update's messages, in order.</summary>
    private async Task FollowUpAsync(BotContext context, CancellationToken cancellationToken)
    {
        foreach (var call in context.AfterCommit)
        {
            try
            {
                await call(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The update is handled and committed: what follows it cannot undo it, and a redelivery would be skipped.
                logger.LogWarning(e, "A follow-up call of update {UpdateId} failed", context.Update.Id);
            }
        }
        // What the update said was written already claimed when nothing of its chat waited before it; anything else (another
        // chat's message, its own chat with messages waiting, a payment credited inside it) is claimed now.
        await sender.TryDeliverAsync(context.Outgoing.Select(m => m.ChatId).Prepend(context.ChatId), context.Claimed, cancellationToken);
    }

    private async Task ApologiseAsync(Update update, long chatId, CancellationToken cancellationToken)
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
