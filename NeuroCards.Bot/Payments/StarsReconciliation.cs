using NeuroCards.Core.Hosting;
using NeuroCards.Core.Payments;
using Telegram.Bot;
using Telegram.Bot.Types.Payments;

namespace NeuroCards.Bot.Payments;

/// <summary>
/// A successful_payment update can be lost (or fail after Telegram stopped resending it). While a Stars payment has
/// been pending for a while, the bot's Star transactions are read from where the last round stopped, and every incoming
/// payment for one of our invoices — right user, right amount — is credited; crediting is once per payment whoever
/// gets there first (the update or this).
/// </summary>
public sealed class StarsReconciliation(ITelegramBotClient bot, PaymentStore payments, StarsCheckout stars, ClusterLease lease,
    ILogger<StarsReconciliation> logger)
    : PeriodicService(logger)
{
    public const string Cursor = "telegram-star-transactions";
    private const int Page = 100;

    /// <summary>How long a payment waits for its update before the transactions are read.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    // One replica reads the transactions: two would only credit the same payment twice over (refused) for nothing.
    protected override Task<bool> MayRunAsync(CancellationToken cancellationToken) =>
        lease.TryHoldAsync("stars-reconciliation", 3 * Interval, cancellationToken);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => ReconcileAsync(Patience, cancellationToken);

    /// <summary>One round; returns how many payments it credited.</summary>
    public async Task<int> ReconcileAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        if (!await payments.HasPendingAsync(PaymentProvider.Stars, patience, cancellationToken)) return 0;
        var position = await payments.CursorAsync(Cursor, cancellationToken);
        var credited = 0;
        while (true)
        {
            var page = (await bot.GetStarTransactions(position, Page, cancellationToken)).Transactions;
            foreach (var transaction in page)
            {
                if (await SettleAsync(transaction, cancellationToken)) credited++;
            }
            position += page.Length;
            await payments.AdvanceCursorAsync(Cursor, position, cancellationToken);
            if (page.Length < Page) return credited;
        }
    }

    private async Task<bool> SettleAsync(StarTransaction transaction, CancellationToken cancellationToken)
    {
        // Incoming payments only (a refund has a receiver instead), for an invoice of ours.
        if (transaction.Source is not TransactionPartnerUser { InvoicePayload: { } payload } from) return false;
        if (!Guid.TryParseExact(payload, "N", out var paymentId)) return false;
        var payment = await payments.GetAsync(paymentId, cancellationToken);
        if (payment is not { Provider: PaymentProvider.Stars, Status: PaymentStatus.Pending }) return false;
        if (payment.UserId != from.User.Id || payment.Amount != transaction.Amount)
        {
            logger.LogError("Star transaction {TransactionId} does not match payment {PaymentId}: not credited", transaction.Id, paymentId);
            return false;
        }
        logger.LogWarning("Stars payment {PaymentId} was never confirmed by its update; credited from the Star transactions", paymentId);
        await stars.CreditAsync(paymentId, transaction.Id, cancellationToken);
        return true;
    }
}
