using NeuroCards.Core.Data;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Worker.Progress;

/// <summary>
/// The one message that closes an order, after its last video: all ready, or what failed and why (one reason per
/// failure class, in plain words), the refund stated once with the new balance, and one set of buttons for the
/// whole order — not a keyboard under every video.
/// </summary>
public sealed class OrderClosing(OrderTracking tracking, ITelegramBotClient telegram, TextCatalog texts, ILogger<OrderClosing> logger)
{
    /// <summary>Sends the closing message once per order: the caller that marks the order finished is the one that sends.</summary>
    public async Task CloseAsync(Guid orderId, CancellationToken cancellationToken)
    {
        if (await tracking.CloseAsync(orderId, cancellationToken) is not { } order) return;
        var (text, keyboard) = Compose(order, orderId);
        try
        {
            await telegram.SendMessage(order.ChatId, text, ParseMode.Html, replyMarkup: keyboard, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is Telegram.Bot.Exceptions.ApiRequestException or HttpRequestException or Telegram.Bot.Exceptions.RequestException)
        {
            logger.LogWarning(e, "Could not send the closing message of order {OrderId}", orderId);
        }
    }

    internal (string Text, InlineKeyboardMarkup Keyboard) Compose(ClosedOrder order, Guid orderId)
    {
        var lang = order.Language;
        string T(string key, params (string, object?)[] args) => texts.Get(lang, key, args);
        var done = order.Count - order.Failures.Count - order.Undelivered;
        var undelivered = order.Undelivered == 0 ? null : T("worker.closing.undelivered", ("videos", texts.Plural(lang, "videos", order.Undelivered)));
        var again = done + order.Undelivered > 0 ? "worker.button.again" : "worker.button.retry";
        var rows = new List<InlineKeyboardButton[]>();
        if (order.ForCards > 0) rows.Add([InlineKeyboardButton.WithCallbackData(T("worker.button.publish"), $"pub:{orderId:N}")]);
        rows.Add([InlineKeyboardButton.WithCallbackData(T(again), $"again:{orderId:N}")]);
        rows.Add([InlineKeyboardButton.WithCallbackData(T("worker.button.menu"), "menu")]);
        var keyboard = new InlineKeyboardMarkup(rows);
        if (order.Failures.Count == 0 && undelivered is null) return (T("worker.closing.done", ("videos", texts.Plural(lang, "videos", order.Count))), keyboard);
        if (order.Failures.Count == 0) return (undelivered!, keyboard);

        var headline = order.Count == 1 ? T("worker.closing.failed_one")
            : done == 0 ? T("worker.closing.failed_all", ("total", order.Count))
            : T("worker.closing.failed_some", ("done", done), ("total", order.Count), ("failed", order.Failures.Count));
        var reasons = order.Failures.Select(FailureTelling.ToldAs).Distinct().Select(c => T("worker.fail." + c.ToDb()));
        var refund = T("worker.closing.refund", ("credits", texts.Plural(lang, "credits", order.Failures.Count * order.PricePerVideo)),
            ("balance", texts.Plural(lang, "credits", order.Balance)));
        return (string.Join("\n\n", [headline, .. reasons, refund, .. undelivered is null ? Array.Empty<string>() : [undelivered]]), keyboard);
    }
}
