using Microsoft.Extensions.Options;
using NeuroCards.Core.Payments;

namespace NeuroCards.Bot.Payments.YooKassa;

/// <summary>Notifications get lost: pending YooKassa payments older than a few minutes are asked about again.</summary>
public sealed class YooKassaReconciliation(PaymentStore payments, YooKassaVerifier verifier, IOptions<YooKassaOptions> options, ILogger<YooKassaReconciliation> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Configured) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        do
        {
            try
            {
                await ReconcileAsync(stoppingToken);
            }
            catch (Exception e) when (e is HttpRequestException or NpgsqlException)
            {
                logger.LogWarning(e, "YooKassa reconciliation failed; next round in a minute");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var credited = 0;
        foreach (var payment in await payments.PendingAsync("yookassa", TimeSpan.FromMinutes(options.Value.ReconcileAfterMinutes), cancellationToken))
        {
            if (await verifier.SettleAsync(payment.ProviderPaymentId!, cancellationToken)) credited++;
        }
        return credited;
    }
}
