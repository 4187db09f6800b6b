using NeuroCards.Core.Payments;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Payments;

namespace NeuroCards.Bot.Payments;

/// <summary>The Stars invoice after the seller pressed "Pay": the pre-checkout answer, then the receipt credited once.</summary>
public sealed class StarsCheckout(ITelegramBotClient bot, PaymentStore payments, PurchaseCrediting crediting, TextCatalog texts, ILogger<StarsCheckout> logger)
{
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

    public async Task HandleSuccessfulPaymentAsync(Message message, CancellationToken cancellationToken)
    {
        var paid = message.SuccessfulPayment!;
        if (!Guid.TryParseExact(paid.InvoicePayload, "N", out var paymentId)) return;
        await CreditAsync(paymentId, paid.TelegramPaymentChargeId, cancellationToken);
    }

    /// <summary>Credits a Stars payment Telegram has confirmed (once, whoever calls first) and tells the user.</summary>
    public Task CreditAsync(Guid paymentId, string telegramChargeId, CancellationToken cancellationToken) =>
        crediting.CreditAsync(paymentId, PaymentProvider.Stars, telegramChargeId, cancellationToken);
}
