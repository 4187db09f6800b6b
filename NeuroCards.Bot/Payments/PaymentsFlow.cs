using System.Globalization;
using Microsoft.Extensions.Options;
using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Payments.YooKassa;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Data;
using NeuroCards.Core.Money;
using NeuroCards.Core.Payments;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.Payments;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Payments;

/// <summary>
/// Buying credits: packs from the database, Telegram Stars (invoice → pre-checkout → successful
/// payment) and YooKassa (redirect, verified by fetching the payment back). A test payment exists
/// only in Development and only for admins.
/// </summary>
public sealed class PaymentsFlow(
    ITelegramBotClient bot,
    PaymentStore payments,
    PurchaseCrediting crediting,
    TextCatalog texts,
    YooKassaClient yooKassaClient,
    IOptions<YooKassaOptions> yooKassa,
    IOptions<TelegramOptions> telegram,
    IHostEnvironment environment,
    ILogger<PaymentsFlow> logger) : IPaymentsFlow
{
    private bool TestPaymentsAllowed(long userId) => environment.IsDevelopment() && telegram.Value.Admins.Contains(userId);

    public async Task ShowPacksAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var (userId, language) = (ctx.UserId, ctx.Language);
        var packs = await payments.PacksAsync(cancellationToken);
        // Only the ways to pay that work here are named: roubles appear when YooKassa is configured.
        var lineKey = yooKassa.Value.Configured ? "pay.pack_line" : "pay.pack_line_stars";
        var lines = packs.Select(p => texts.Get(language, lineKey, ("credits", texts.Plural(language, "credits", p.Credits)),
            ("rub", Rub(p.PriceRub)), ("stars", p.PriceStars), ("per_video", Rub(Math.Round(p.PriceRub / p.Credits)))));
        var rows = new List<InlineKeyboardButton[]>();
        foreach (var pack in packs)
        {
            var row = new List<InlineKeyboardButton>
            {
                InlineKeyboardButton.WithCallbackData(texts.Get(language, "pay.stars_button", ("credits", texts.Plural(language, "credits", pack.Credits)), ("stars", pack.PriceStars)), PayButton.For(PayMethod.Stars, pack.Id).Data),
            };
            if (yooKassa.Value.Configured)
                row.Add(InlineKeyboardButton.WithCallbackData(texts.Get(language, "pay.card_button", ("credits", texts.Plural(language, "credits", pack.Credits)), ("rub", Rub(pack.PriceRub))), PayButton.For(PayMethod.Card, pack.Id).Data));
            if (TestPaymentsAllowed(userId))
                row.Add(InlineKeyboardButton.WithCallbackData(texts.Get(language, "pay.test_button", ("credits", pack.Credits)), PayButton.For(PayMethod.Test, pack.Id).Data));
            rows.AddRange(row.Select(b => new[] { b })); // one button a row: long labels stay readable on phones
        }
        var text = texts.Get(language, "pay.packs", ("packs", string.Join("\n", lines)));
        // Not the chat's screen: the confirmation waiting for the top-up stays the one its buttons act on.
        ctx.Send(OutgoingMessage.Message(ctx.ChatId, text, new InlineKeyboardMarkup(rows)));
    }

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
        var pack = button is not null ? (await payments.PacksAsync(cancellationToken)).FirstOrDefault(p => p.Id == button.PackId) : null;
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
                ctx.Send(OutgoingMessage.StarsInvoice(ctx.ChatId, new OutgoingInvoice(ctx.T("pay.invoice_title", ("credits", ctx.Credits(pack.Credits))),
                    ctx.T("pay.invoice_description", ("videos", ctx.Plural("videos", pack.Credits))), stars.Id.ToString("N"), ctx.Credits(pack.Credits), pack.PriceStars)));
                return;
            case PayMethod.Card when yooKassa.Value.Configured:
                // The payment row is committed before YooKassa is asked, and YooKassa's id as soon as it answers: a payment
                // created there must be found by its notification whatever happens to this update. So they commit on their own.
                await Db.OutsideUnitOfWorkAsync(() => CreateYooKassaPaymentAsync(ctx, pack, orderId, cancellationToken));
                return;
            case PayMethod.Test when TestPaymentsAllowed(query.From.Id):
                // Committed before the credit, which commits on its own too and must find it.
                var test = await Db.OutsideUnitOfWorkAsync(() => payments.CreateAsync(query.From.Id, PaymentProvider.Test, pack, orderId, cancellationToken));
                await crediting.CreditAsync(test.Id, PaymentProvider.Test, "test-" + test.Id.ToString("N"), cancellationToken);
                return;
            default:
                // A test button outside Development, a forged one, or YooKassa not configured: nothing happens to money.
                logger.LogWarning("Refused payment callback {Data} from {UserId}", query.Data, query.From.Id);
                await ctx.Reply(ctx.T("payments.unavailable"), cancellationToken: cancellationToken);
                return;
        }
    }

    private async Task CreateYooKassaPaymentAsync(BotContext ctx, CreditPack pack, Guid? orderId, CancellationToken cancellationToken)
    {
        var card = await payments.CreateAsync(ctx.UserId, PaymentProvider.Yookassa, pack, orderId, cancellationToken);
        try
        {
            var created = await yooKassaClient.CreateAsync(card,
                texts.Get("ru", "pay.invoice_title", ("credits", texts.Plural("ru", "credits", pack.Credits))), cancellationToken);
            var url = created.Confirmation?.ConfirmationUrl ?? throw new InvalidOperationException("YooKassa gave no confirmation URL");
            await payments.AttachAsync(card.Id, created.Id, url, cancellationToken);
            ctx.Send(OutgoingMessage.Message(ctx.ChatId, ctx.T("pay.yookassa_link", ("credits", ctx.Credits(pack.Credits)), ("rub", Rub(pack.PriceRub))),
                new InlineKeyboardMarkup(InlineKeyboardButton.WithUrl(ctx.T("pay.yookassa_button"), url))));
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            logger.LogError(e, "YooKassa payment {PaymentId} could not be created", card.Id);
            await payments.MarkFailedAsync(card.Id, cancellationToken);
            await ctx.Reply(ctx.T("payments.unavailable"), cancellationToken: cancellationToken);
        }
    }

    public async Task HandlePreCheckoutAsync(PreCheckoutQuery query, CancellationToken cancellationToken)
    {
        var language = TextCatalog.LanguageFor(query.From.LanguageCode);
        var payment = Guid.TryParseExact(query.InvoicePayload, "N", out var id) ? await payments.GetAsync(id, cancellationToken) : null;
        var ok = payment is { Provider: PaymentProvider.Stars, Status: PaymentStatus.Pending, Currency: "XTR" } && payment.UserId == query.From.Id
                 && query.Currency == "XTR" && query.TotalAmount == (int)payment.Amount;
        if (!ok) logger.LogWarning("Refused pre-checkout {Payload} of user {UserId}", query.InvoicePayload, query.From.Id);
        try
        {
            await bot.AnswerPreCheckoutQuery(query.Id, ok ? null : texts.Get(language, "pay.precheckout_refused"), cancellationToken: cancellationToken);
        }
        catch (ApiRequestException e) when (e.ErrorCode == 400)
        {
            // Answered before (a redelivered update), or too late to answer: Telegram has its answer or gave up.
            logger.LogInformation("Pre-checkout {QueryId} not answered again: {Reason}", query.Id, e.Message);
        }
    }

    public async Task HandleSuccessfulPaymentAsync(Message message, string language, CancellationToken cancellationToken)
    {
        var paid = message.SuccessfulPayment!;
        if (!Guid.TryParseExact(paid.InvoicePayload, "N", out var paymentId)) return;
        await CreditStarsAsync(paymentId, paid.TelegramPaymentChargeId, cancellationToken);
    }

    public Task CreditStarsAsync(Guid paymentId, string telegramChargeId, CancellationToken cancellationToken) =>
        crediting.CreditAsync(paymentId, PaymentProvider.Stars, telegramChargeId, cancellationToken);

    private static string Rub(decimal amount) => amount.ToString("#,0", new NumberFormatInfo { NumberGroupSeparator = " " });
}
