using Microsoft.Extensions.Options;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Payments;

namespace NeuroCards.Bot.Payments.YooKassa;

/// <summary>
/// Notifications get lost: pending YooKassa payments older than a few minutes are asked about again, least recently
/// checked first. One payment failing to settle (a timeout, Telegram refusing the "credits arrived" message) does not
/// stop the others, and nothing a round throws stops the bot.
/// </summary>
public sealed class YooKassaReconciliation(PaymentStore payments, YooKassaVerifier verifier, IOptions<YooKassaOptions> options,
    ClusterLease lease, ILogger<YooKassaReconciliation> logger) : PeriodicService(logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    protected override bool Enabled => options.Value.Configured;

    protected override Task<bool> MayRunAsync(CancellationToken cancellationToken) =>
        lease.TryHoldAsync("yookassa-reconciliation", 3 * Interval, cancellationToken);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => ReconcileAsync(cancellationToken);

    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var credited = 0;
        foreach (var payment in await payments.PendingAsync(PaymentProvider.Yookassa, TimeSpan.FromMinutes(options.Value.ReconcileAfterMinutes), cancellationToken))
        {
            try
            {
                await payments.TouchAsync(payment.Id, cancellationToken);
                if (await verifier.SettleAsync(payment.ProviderPaymentId!, cancellationToken)) credited++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "YooKassa payment {PaymentId} could not be settled this round", payment.Id);
            }
        }
        return credited;
    }
}
