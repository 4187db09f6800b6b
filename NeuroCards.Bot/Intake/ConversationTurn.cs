using Microsoft.Extensions.Options;
using NeuroCards.Bot.Conversation;
using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Data;
using NeuroCards.Core.Money;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NeuroCards.Bot.Intake;

/// <summary>
/// One update's turn in its chat's conversation: recorded, routed, its messages written to the outbox and the new state
/// saved, in one transaction; then, after the commit, what it has to say is sent.
/// </summary>
public sealed class ConversationTurn(Db db, ConversationStore conversations, UpdateRouter router, ITelegramBotClient bot, TextCatalog texts,
    TelegramOutbox outbox, OutboxSender sender, IOptions<TelegramOptions> telegram, ILogger<ConversationTurn> logger)
{
    /// <summary>Null when the update was handled before (a redelivery changes nothing).</summary>
    public Task<BotContext?> TakeAsync(Update update, long chatId, UserAccount user, PrefetchedInputs prefetched, CancellationToken cancellationToken) =>
        db.TransactionAsync(async ct =>
        {
            var session = await conversations.BeginAsync(update.Id, chatId, user.Id, router.InitialState, ct);
            if (session is null)
            {
                logger.LogInformation("Update {UpdateId} was handled before; skipped", update.Id);
                return null;
            }
            var context = new BotContext(update, user, session, bot, texts, telegram.Value.Admins.Contains(user.Id)) { Prefetched = prefetched };
            logger.LogDebug("Update {UpdateId} ({Type}) for chat {ChatId} in state {State}", update.Id, update.Type, chatId, session.State);
            await router.RouteAsync(context, ct);
            await context.Answer(cancellationToken: ct);
            context.Claimed = await outbox.AddAsync(context.Outgoing, claimForCaller: true, ct);
            await conversations.SaveAsync(session, ct);
            return (BotContext?)context;
        }, cancellationToken);

    /// <summary>After the commit: the callback's answer first (the spinner stops), then the update's messages, in order.</summary>
    public async Task FollowUpAsync(BotContext context, CancellationToken cancellationToken)
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
}
