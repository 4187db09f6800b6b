using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Payments;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Texts;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Conversation;

/// <summary>One message when credits arrive; an order waiting for a top-up comes back as its confirmation, intact.</summary>
public sealed class CreditsArrivedNotifier(TextCatalog texts, Ledger ledger, Screens screens, ConversationStore conversations, OrderDrafts drafts,
    ModelCatalog catalog)
    : ICreditsArrivedNotifier
{
    public async Task<IReadOnlyList<OutgoingMessage>> MessagesAsync(long userId, int credits, int balance, Guid? pendingOrderId, CancellationToken cancellationToken)
    {
        var user = await ledger.GetUserAsync(userId, cancellationToken);
        if (user is null) return [];
        var lang = user.Language;
        string T(string key, (string, object?)[] args) => texts.Get(lang, key, args);
        string Credits(long n) => texts.Plural(lang, "credits", n);

        // The conversation remembers the order that was short of credits and the screen that said so.
        var conversation = await conversations.PeekAsync(userId, cancellationToken);
        pendingOrderId ??= conversation.PendingOrderId;

        var text = T("credits.arrived", [("credits", Credits(credits)), ("balance", Credits(balance))]);
        var order = pendingOrderId is { } orderId ? await drafts.GetAsync(orderId, cancellationToken) : null;
        var model = order is null ? null : await catalog.FindOfferedAsync(order.Model, cancellationToken);
        if (order is { Status: "draft", Count: not null } && order.UserId == userId && model is not null)
        {
            var confirm = screens.ConfirmText(lang, order, model, balance, out var keyboard);
            var confirmation = OutgoingMessage.Message(userId, text + "\n\n" + confirm, keyboard);
            // The old confirmation said credits were short and offered a top-up: neither is true any more.
            return conversation.MenuMessageId is { } oldConfirmation
                ? [OutgoingMessage.Edit(userId, oldConfirmation, T("confirm.moved", [])), confirmation]
                : [confirmation];
        }
        return [OutgoingMessage.Message(userId, text, new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData(T("menu.create", []), "create")))];
    }
}
