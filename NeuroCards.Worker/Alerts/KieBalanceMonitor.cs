using Microsoft.Extensions.Options;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Hosting;

namespace NeuroCards.Worker.Alerts;

/// <summary>
/// One worker of the cluster reads KIE's balance every Kie__BalanceCheckMinutes: the readings measure the real spend
/// (/stats), and a balance that lasts fewer than Kie__LowBalanceDays at last week's spend alerts the operators — at
/// most once a day, before a 402 stops every order.
/// </summary>
public sealed class KieBalanceMonitor(KieClient kie, KieCosts costs, ClusterLease lease, OperatorAlerts alerts, IOptions<KieOptions> options,
    IOptions<GenerationOptions> generation, TimeProvider time, ILogger<KieBalanceMonitor> logger) : PeriodicService(logger)
{
    private DateTime _alertedAt = DateTime.MinValue;

    protected override TimeSpan Interval => TimeSpan.FromMinutes(options.Value.BalanceCheckMinutes);

    protected override bool Enabled => GenerationOptions.IsKie(generation.Value.Provider, options.Value.ApiKeys);

    protected override Task<bool> MayRunAsync(CancellationToken cancellationToken) => lease.TryHoldAsync("kie-balance", 2 * Interval, cancellationToken);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (await kie.GetCreditsAsync(cancellationToken) is not { } balance) return;
        await costs.RecordBalanceAsync(balance, cancellationToken);
        var perDay = await costs.DailySpendAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (perDay <= 0 || balance >= perDay * options.Value.LowBalanceDays || now - _alertedAt < TimeSpan.FromDays(1)) return;
        _alertedAt = now;
        await alerts.SendAsync("worker.alert.kie_balance", cancellationToken,
            ("credits", Math.Round(balance)), ("days", Math.Round(balance / perDay, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
