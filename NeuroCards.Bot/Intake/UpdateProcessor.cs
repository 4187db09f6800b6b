using System.Diagnostics;
using Microsoft.Extensions.Options;
using NeuroCards.Bot.Conversation;
using NeuroCards.Bot.Payments;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Money;
using NeuroCards.Core.Texts;
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
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim used only with WaitAsync and Release holds no OS handle; disposing it while a call is still inside would throw")]
public sealed class UpdateProcessor(
    NpgsqlDataSource dataSource,
    Ledger ledger,
    StarsCheckout stars,
    UpdatePrefetch prefetch,
    ConversationTurn turns,
    UpdateReplies replies,
    TextCatalog texts,
    IOptions<BotOptions> botOptions,
    ILogger<UpdateProcessor> logger)
{
    public static readonly ActivitySource Activity = new("NeuroCards.Bot");
    private readonly ChatGates _chats = new();
    private readonly PassingFailures _failures = new();

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
        catch (Exception e) when (PassingFailures.IsPassing(e, cancellationToken) && _failures.MayRetry(update.Id))
        {
            logger.LogWarning(e, "Update {UpdateId} of chat {ChatId} failed for a passing reason; it will be handled again", update.Id, chatId);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Update {UpdateId} of chat {ChatId} failed", update.Id, chatId);
            await replies.ApologiseAsync(update, chatId.Value, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
        _failures.Forget(update.Id);
        // Committed: now Telegram hears of it, still in the chat's turn (its next update waits) but holding no connection.
        if (handled is not null) await turns.FollowUpAsync(handled, cancellationToken);
        return true;
    }

    /// <summary>Handles the update and commits; returns what it has to say afterwards, or null when it said it already.</summary>
    private async Task<BotContext?> HandleAsync(Update update, long chatId, CancellationToken cancellationToken)
    {
        if (update.PreCheckoutQuery is { } preCheckout)
        {
            // Must be answered within 10 s and needs no conversation. A repeated delivery is answered again: Telegram
            // refuses the second answer, which changes nothing.
            await stars.HandlePreCheckoutAsync(preCheckout, cancellationToken);
            return null;
        }
        var from = update.Message?.From ?? update.EditedMessage?.From ?? update.CallbackQuery?.From;
        if (from is null || from.IsBot) return null;
        var chatType = update.Message?.Chat.Type ?? update.EditedMessage?.Chat.Type ?? update.CallbackQuery?.Message?.Chat.Type ?? ChatType.Private;
        var language = TextCatalog.LanguageFor(from.LanguageCode);

        if (chatType != ChatType.Private)
        {
            if (update.Message is not null)
                await replies.SayOnceAsync(update.Id, chatId, texts.Get(language, "group.refuse", ("bot", await replies.BotUsernameAsync(cancellationToken))), cancellationToken);
            return null;
        }

        var user = (await ledger.EnsureUserAsync(from.Id, from.Username, from.FirstName, language, cancellationToken)).User;
        if (update.EditedMessage is not null)
        {
            await replies.SayOnceAsync(update.Id, chatId, texts.Get(user.Language, "edited.hint"), cancellationToken);
            return null;
        }

        // Slow and needing no transaction: a photo or a Wildberries card for the draft is fetched before the update takes its connection.
        var prefetched = await prefetch.LoadAsync(update, chatId, cancellationToken);
        return await turns.TakeAsync(update, chatId, user, prefetched, cancellationToken);
    }
}
