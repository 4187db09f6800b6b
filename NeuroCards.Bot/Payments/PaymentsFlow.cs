using System.Globalization;
using Microsoft.Extensions.Options;
using NeuroCards.Bot.Payments.YooKassa;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Data;
using NeuroCards.Core.Money;
using NeuroCards.Core.Payments;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Texts;
using Telegram.Bot;
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
    Ledger ledger,
    TextCatalog texts,
    YooKassaClient yooKassaClient,
    ICreditsArrivedNotifier notifier,
    IOptions<YooKassaOptions> yooKassa,
    IOptions<TelegramOptions> telegram,
    IHostEnvironment environment,
    NpgsqlDataSource dataSource,
    ILogger<PaymentsFlow> logger) : IPaymentsFlow
{
    private bool TestPaymentsAllowed(long userId) => environment.IsDevelopment() && telegram.Value.Admins.Contains(userId);

    public async Task ShowPacksAsync(long chatId, long userId, string language, Guid? pendingOrderId, int? editMessageId, CancellationToken cancellationToken)
    {
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
                InlineKeyboardButton.WithCallbackData(texts.Get(language, "pay.stars_button", ("credits", texts.Plural(language, "credits", pack.Credits)), ("stars", pack.PriceStars)), $"pay:stars:{pack.Id}"),
            };
            if (yooKassa.Value.Configured)
                row.Add(InlineKeyboardButton.WithCallbackData(texts.Get(language, "pay.card_button", ("credits", texts.Plural(language, "credits", pack.Credits)), ("rub", Rub(pack.PriceRub))), $"pay:yk:{pack.Id}"));
            if (TestPaymentsAllowed(userId))
                row.Add(InlineKeyboardButton.WithCallbackData(texts.Get(language, "pay.test_button", ("credits", pack.Credits)), $"pay:test:{pack.Id}"));
            rows.AddRange(row.Select(b => new[] { b })); // one button a row: long labels stay readable on phones
        }
        var text = texts.Get(language, "pay.packs", ("packs", string.Join("\n", lines)));
        await bot.SendMessage(chatId, text, ParseMode.Html, replyMarkup: new InlineKeyboardMarkup(rows), cancellationToken: cancellationToken);
    }

    public async Task HandleCallbackAsync(CallbackQuery query, string language, CancellationToken cancellationToken)
    {
        var parts = query.Data!.Split(':');
        var chatId = query.Message?.Chat.Id ?? query.From.Id;
        await bot.AnswerCallbackQuery(query.Id, cancellationToken: cancellationToken);
        if (parts is ["pay", "packs"])
        {
            await ShowPacksAsync(chatId, query.From.Id, language, await PendingOrderAsync(chatId, cancellationToken), null, cancellationToken);
            return;
        }
        var pack = parts.Length == 3 && int.TryParse(parts[2], out var packId)
            ? (await payments.PacksAsync(cancellationToken)).FirstOrDefault(p => p.Id == packId)
            : null;
        if (pack is null)
        {
            await bot.SendMessage(chatId, texts.Get(language, "button.stale"), ParseMode.Html, cancellationToken: cancellationToken);
            return;
        }
        var orderId = await PendingOrderAsync(chatId, cancellationToken);
        switch (parts[1])
        {
            case "stars":
                var stars = await payments.CreateAsync(query.From.Id, "stars", pack, orderId, cancellationToken);
                await bot.SendInvoice(chatId, texts.Get(language, "pay.invoice_title", ("credits", texts.Plural(language, "credits", pack.Credits))),
                    texts.Get(language, "pay.invoice_description", ("videos", texts.Plural(language, "videos", pack.Credits))),
                    stars.Id.ToString("N"), "XTR", [new LabeledPrice(texts.Plural(language, "credits", pack.Credits), pack.PriceStars)],
                    cancellationToken: cancellationToken);
                return;
            case "yk" when yooKassa.Value.Configured:
                // The payment row and the provider's id must stand even if this update is rolled back after the link is
                // sent: the seller may pay by it. So they commit on their own.
                using (DbScope.Detach())
                {
                    await CreateYooKassaPaymentAsync(chatId, query.From.Id, language, pack, orderId, cancellationToken);
                }
                return;
            case "test" when TestPaymentsAllowed(query.From.Id):
                Payment test;
                // Committed before the credit, which commits on its own too and must find it.
                using (DbScope.Detach())
                {
                    test = await payments.CreateAsync(query.From.Id, "test", pack, orderId, cancellationToken);
                }
                await CreditAsync(test.Id, "test", "test-" + test.Id.ToString("N"), cancellationToken);
                return;
            default:
                // A test button outside Development, a forged one, or YooKassa not configured: nothing happens to money.
                logger.LogWarning("Refused payment callback {Data} from {UserId}", query.Data, query.From.Id);
                await bot.SendMessage(chatId, texts.Get(language, "payments.unavailable"), ParseMode.Html, cancellationToken: cancellationToken);
                return;
        }
    }

    private async Task CreateYooKassaPaymentAsync(long chatId, long userId, string language, CreditPack pack, Guid? orderId, CancellationToken cancellationToken)
    {
        var card = await payments.CreateAsync(userId, "yookassa", pack, orderId, cancellationToken);
        try
        {
            var created = await yooKassaClient.CreateAsync(card,
                texts.Get("ru", "pay.invoice_title", ("credits", texts.Plural("ru", "credits", pack.Credits))), cancellationToken);
            var url = created.Confirmation?.ConfirmationUrl ?? throw new InvalidOperationException("YooKassa gave no confirmation URL");
            await payments.AttachAsync(card.Id, created.Id, url, cancellationToken);
            await bot.SendMessage(chatId, texts.Get(language, "pay.yookassa_link", ("credits", texts.Plural(language, "credits", pack.Credits)), ("rub", Rub(pack.PriceRub))),
                ParseMode.Html, replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithUrl(texts.Get(language, "pay.yookassa_button"), url)),
                cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            logger.LogError(e, "YooKassa payment {PaymentId} could not be created", card.Id);
            await payments.MarkFailedAsync(card.Id, cancellationToken);
            await bot.SendMessage(chatId, texts.Get(language, "payments.unavailable"), ParseMode.Html, cancellationToken: cancellationToken);
        }
    }

    public async Task HandlePreCheckoutAsync(PreCheckoutQuery query, CancellationToken cancellationToken)
    {
        var language = TextCatalog.LanguageFor(query.From.LanguageCode);
        var payment = Guid.TryParseExact(query.InvoicePayload, "N", out var id) ? await payments.GetAsync(id, cancellationToken) : null;
        var ok = payment is { Provider: "stars", Status: "pending", Currency: "XTR" } && payment.UserId == query.From.Id
                 && query.Currency == "XTR" && query.TotalAmount == (int)payment.Amount;
        if (ok)
        {
            await bot.AnswerPreCheckoutQuery(query.Id, cancellationToken: cancellationToken);
            return;
        }
        logger.LogWarning("Refused pre-checkout {Payload} of user {UserId}", query.InvoicePayload, query.From.Id);
        await bot.AnswerPreCheckoutQuery(query.Id, texts.Get(language, "pay.precheckout_refused"), cancellationToken: cancellationToken);
    }

    public async Task HandleSuccessfulPaymentAsync(Message message, string language, CancellationToken cancellationToken)
    {
        var paid = message.SuccessfulPayment!;
        if (!Guid.TryParseExact(paid.InvoicePayload, "N", out var paymentId)) return;
        await CreditStarsAsync(paymentId, paid.TelegramPaymentChargeId, cancellationToken);
    }

    public Task CreditStarsAsync(Guid paymentId, string telegramChargeId, CancellationToken cancellationToken) =>
        CreditAsync(paymentId, "stars", telegramChargeId, cancellationToken);

    private async Task CreditAsync(Guid paymentId, string provider, string providerPaymentId, CancellationToken cancellationToken)
    {
        PurchaseResult result;
        // Credits paid for are credited at once, whatever happens to the update that brought the receipt.
        using (DbScope.Detach())
        {
            result = await ledger.CreditPurchaseAsync(paymentId, provider, providerPaymentId, cancellationToken);
        }
        if (result is PurchaseResult.Credited credited)
        {
            logger.LogInformation("Payment {PaymentId} ({Provider}) credited {Credits} credit(s)", paymentId, provider, credited.Credits);
            await notifier.CreditsArrivedAsync(credited.UserId, credited.Credits, credited.BalanceAfter,
                credited.OrderId, cancellationToken);
        }
        else
        {
            logger.LogInformation("Payment {PaymentId} not credited again: {Result}", paymentId, result);
        }
    }

    private async Task<Guid?> PendingOrderAsync(long chatId, CancellationToken cancellationToken) =>
        (await ConversationSession.PeekAsync(dataSource, chatId, cancellationToken)).PendingOrderId;

    private static string Rub(decimal amount) => amount.ToString("#,0", new NumberFormatInfo { NumberGroupSeparator = " " });
}
