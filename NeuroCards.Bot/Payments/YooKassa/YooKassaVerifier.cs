using System.Globalization;
using NeuroCards.Core.Money;
using NeuroCards.Core.Payments;

namespace NeuroCards.Bot.Payments.YooKassa;

/// <summary>
/// Settles a YooKassa payment from what YooKassa's API says (never from a notification body):
/// credited once only if it succeeded with our amount, currency and payment id; failed if canceled or unknown to YooKassa.
/// </summary>
public sealed class YooKassaVerifier(YooKassaClient client, PaymentStore payments, PurchaseCrediting crediting, ILogger<YooKassaVerifier> logger)
{
    public async Task<bool> SettleAsync(string yooKassaId, CancellationToken cancellationToken)
    {
        var ours = await payments.FindByProviderIdAsync(PaymentProvider.Yookassa, yooKassaId, cancellationToken);
        if (ours is null)
        {
            logger.LogWarning("YooKassa notification for a payment we do not know: {YooKassaId}", yooKassaId);
            return false;
        }
        var theirs = await client.GetAsync(yooKassaId, cancellationToken);
        // Unknown to YooKassa (never created there, or gone) or canceled: it will never be paid, so it stops being pending.
        if (theirs is null || theirs.Status == "canceled")
        {
            await payments.MarkFailedAsync(ours.Id, cancellationToken);
            return false;
        }
        var amountMatches = decimal.TryParse(theirs.Amount.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
                            && amount == ours.Amount && theirs.Amount.Currency == ours.Currency;
        var metadataMatches = theirs.Metadata?.GetValueOrDefault("payment_id") == ours.Id.ToString();
        if (theirs.Status != "succeeded" || !theirs.Paid || !amountMatches || !metadataMatches)
        {
            if (theirs.Status == "succeeded") logger.LogError("YooKassa payment {YooKassaId} does not match ours {PaymentId}: not credited", yooKassaId, ours.Id);
            return false;
        }
        return await crediting.CreditAsync(ours.Id, PaymentProvider.Yookassa, yooKassaId, cancellationToken) is PurchaseResult.Credited;
    }
}
