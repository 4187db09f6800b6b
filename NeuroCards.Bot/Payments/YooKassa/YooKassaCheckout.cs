using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Payments;
using NeuroCards.Core.Texts;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Payments.YooKassa;

/// <summary>A card payment: our row first, then YooKassa's payment and its link for the seller (credited by the notification).</summary>
public sealed class YooKassaCheckout(PaymentStore payments, YooKassaClient client, TextCatalog texts, ILogger<YooKassaCheckout> logger)
{
    /// <summary>Each write commits on its own: a payment created at YooKassa must be found by its notification whatever happens next.</summary>
    public async Task StartAsync(BotContext ctx, CreditPack pack, Guid? orderId, CancellationToken cancellationToken)
    {
        if (await LinkAsync(ctx.UserId, pack, orderId, cancellationToken) is { } url)
            ctx.Send(OutgoingMessage.Message(ctx.ChatId, ctx.T("pay.yookassa_link", ("credits", ctx.Credits(pack.Credits)), ("rub", Rubles.Format(pack.PriceRub))),
                new InlineKeyboardMarkup(InlineKeyboardButton.WithUrl(ctx.T("pay.yookassa_button"), url))));
        else
            await ctx.Reply(ctx.T("payments.unavailable"), cancellationToken: cancellationToken);
    }

    /// <summary>Our payment row, then YooKassa's payment: its page's address, or null when YooKassa could not make one (the row marked failed).</summary>
    public async Task<string?> LinkAsync(long userId, CreditPack pack, Guid? orderId, CancellationToken cancellationToken)
    {
        var card = await payments.CreateAsync(userId, PaymentProvider.Yookassa, pack, orderId, cancellationToken);
        try
        {
            var created = await client.CreateAsync(card,
                texts.Get("ru", "pay.invoice_title", ("credits", texts.Plural("ru", "credits", pack.Credits))), cancellationToken);
            var url = created.Confirmation?.ConfirmationUrl ?? throw new InvalidOperationException("YooKassa gave no confirmation URL");
            await payments.AttachAsync(card.Id, created.Id, url, cancellationToken);
            return url;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            logger.LogError(e, "YooKassa payment {PaymentId} could not be created", card.Id);
            await payments.MarkFailedAsync(card.Id, cancellationToken);
            return null;
        }
    }
}
