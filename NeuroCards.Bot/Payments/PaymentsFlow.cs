using Microsoft.Extensions.Options;
using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Payments.YooKassa;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Data;
using NeuroCards.Core.Payments;
using NeuroCards.Core.Texts;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Payments;

/// <summary>
/// Buying credits: the packs from the database and the seller's choice of how to pay — a Stars invoice (then
/// <see cref="StarsCheckout"/>), a card through YooKassa (<see cref="YooKassaCheckout"/>), or a test payment.
/// </summary>
public sealed class PaymentsFlow(
    PaymentStore payments,
    TextCatalog texts,
    YooKassaCheckout yooKassaCheckout,
    TestPayments testPayments,
    IOptions<YooKassaOptions> yooKassa,
    ILogger<PaymentsFlow> logger)
{
    /// <summary>/buy, the account's "buy credits" button, or the short-balance "top up" button (with the order kept).</summary>
    public async Task ShowPacksAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var (userId, language) = (ctx.UserId, ctx.Language);
        var packs = await payments.PacksAsync(cancellationToken);
        // Only the ways to pay that work here are named: roubles appear when YooKassa is configured.
        var lineKey = yooKassa.Value.Configured ? "pay.pack_line" : "pay.pack_line_stars";
        var lines = packs.Select(p => texts.Get(language, lineKey, ("credits", texts.Plural(language, "credits", p.Credits)),
            ("rub", Rubles.Format(p.PriceRub)), ("stars", p.PriceStars), ("per_video", Rubles.Format(Math.Round(p.PriceRub / p.Credits)))));
        var rows = new List<InlineKeyboardButton[]>();
        foreach (var pack in packs)
        {
            var row = new List<InlineKeyboardButton>
            {
                InlineKeyboardButton.WithCallbackData(texts.Get(language, "pay.stars_button", ("credits", texts.Plural(language, "credits", pack.Credits)), ("stars", pack.PriceStars)), PayButton.For(PayMethod.Stars, pack.Id).Data),
            };
            if (yooKassa.Value.Configured)
                row.Add(InlineKeyboardButton.WithCallbackData(texts.Get(language, "pay.card_button", ("credits", texts.Plural(language, "credits", pack.Credits)), ("rub", Rubles.Format(pack.PriceRub))), PayButton.For(PayMethod.Card, pack.Id).Data));
            if (testPayments.Allowed(userId))
                row.Add(InlineKeyboardButton.WithCallbackData(texts.Get(language, "pay.test_button", ("credits", pack.Credits)), PayButton.For(PayMethod.Test, pack.Id).Data));
            rows.AddRange(row.Select(b => new[] { b })); // one button a row: long labels stay readable on phones
        }
        var text = texts.Get(language, "pay.packs", ("packs", string.Join("\n", lines)));
        // Not the chat's screen: the confirmation waiting for the top-up stays the one its buttons act on.
        ctx.Send(OutgoingMessage.Message(ctx.ChatId, text, new InlineKeyboardMarkup(rows)));
    }

    /// <summary>The Stars invoice of a pending payment, sent in the chat or opened from the Mini App: its payload is the payment's id.</summary>
    public OutgoingInvoice StarsInvoiceOf(Payment payment, CreditPack pack, string language) =>
        new(texts.Get(language, "pay.invoice_title", ("credits", texts.Plural(language, "credits", pack.Credits))),
            texts.Get(language, "pay.invoice_description", ("videos", texts.Plural(language, "videos", pack.Credits))),
            payment.Id.ToString("N"), texts.Plural(language, "credits", pack.Credits), pack.PriceStars);

    /// <summary>A <c>pay:</c> button: the packs again, or one pack with one way to pay.</summary>
    public async Task HandleCallbackAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var query = ctx.Callback!;
        var language = ctx.Language;
        var button = PayButton.Parse(query.Data);
        await ctx.Answer(cancellationToken: cancellationToken);
        if (button == PayButton.Packs)
        {
            await ShowPacksAsync(ctx, cancellationToken);
            return;
        }
        var pack = button is not null ? await payments.PackAsync(button.PackId, cancellationToken) : null;
        if (pack is null)
        {
            await ctx.Reply(ctx.T("button.stale"), cancellationToken: cancellationToken);
            return;
        }
        var orderId = ctx.PendingOrderId;
        switch (button!.Method)
        {
            case PayMethod.Stars:
                var stars = await payments.CreateAsync(query.From.Id, PaymentProvider.Stars, pack, orderId, cancellationToken);
                ctx.Send(OutgoingMessage.StarsInvoice(ctx.ChatId, StarsInvoiceOf(stars, pack, ctx.Language)));
                return;
            case PayMethod.Card when yooKassa.Value.Configured:
                // The payment row is committed before YooKassa is asked, and YooKassa's id as soon as it answers: a payment
                // created there must be found by its notification whatever happens to this update. So they commit on their own.
                await Db.OutsideUnitOfWorkAsync(() => yooKassaCheckout.StartAsync(ctx, pack, orderId, cancellationToken));
                return;
            case PayMethod.Test when testPayments.Allowed(query.From.Id):
                await testPayments.PayAsync(query.From.Id, pack, orderId, cancellationToken);
                return;
            default:
                // A test button outside Development, a forged one, or YooKassa not configured: nothing happens to money.
                logger.LogWarning("Refused payment callback {Data} from {UserId}", query.Data, query.From.Id);
                await ctx.Reply(ctx.T("payments.unavailable"), cancellationToken: cancellationToken);
                return;
        }
    }
}
