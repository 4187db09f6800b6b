using Microsoft.Extensions.Options;
using NeuroCards.Bot.Outbox;
using NeuroCards.Core.Money;
using NeuroCards.Core.Payments;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Texts;

namespace NeuroCards.Bot.Payments;

/// <summary>
/// A payment the provider confirmed is credited once, and the buyer is told in the same transaction: the credits stand
/// whatever happens to the update or request that brought the confirmation, and "credited" is never lost nor said for
/// credits that are not there.
/// </summary>
public sealed class PurchaseCrediting(Ledger ledger, ICreditsArrivedNotifier notifier, OutboxUnitOfWork units, TextCatalog texts,
    IOptions<TelegramOptions> telegram, ILogger<PurchaseCrediting> logger)
{
    public Task<PurchaseResult> CreditAsync(Guid paymentId, PaymentProvider provider, string providerPaymentId, CancellationToken cancellationToken) =>
        units.RunAsync(async (outgoing, ct) =>
        {
            var result = await ledger.CreditPurchaseAsync(paymentId, provider, providerPaymentId, ct);
            if (result is PurchaseResult.Credited credited)
            {
                logger.LogInformation("Payment {PaymentId} ({Provider}) credited {Credits} credit(s)", paymentId, provider, credited.Credits);
                outgoing.AddRange(await notifier.MessagesAsync(credited.UserId, credited.Credits, credited.BalanceAfter, credited.OrderId, ct));
                if (credited.SecondChargeOf is { } first) outgoing.AddRange(SecondCharge(first, providerPaymentId, credited));
            }
            else
            {
                logger.LogInformation("Payment {PaymentId} not credited again: {Result}", paymentId, result);
            }
            return result;
        }, cancellationToken);

    /// <summary>The operators hear of an invoice paid twice: the buyer may want the second payment back.</summary>
    private IEnumerable<OutgoingMessage> SecondCharge(Guid first, string charge, PurchaseResult.Credited credited)
    {
        logger.LogError("Payment {PaymentId} was paid a second time (charge {ChargeId}); credited as a payment of its own", first, charge);
        var second = credited.PaymentId;
        return telegram.Value.Admins.Select(admin => OutgoingMessage.Message(admin, texts.Get("ru", "admin.alert.second_charge",
            ("payment", first), ("charge", Html.Escape(charge)), ("credits", texts.Plural("ru", "credits", credited.Credits)), ("user", credited.UserId), ("second", second))));
    }
}
