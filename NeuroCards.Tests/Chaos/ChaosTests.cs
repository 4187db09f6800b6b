using NeuroCards.Chaos;

namespace NeuroCards.Tests.Chaos;

/// <summary>
/// The chaos run of bench/NeuroCards.Chaos, scaled down: 20 orders while workers and bot replicas die, Telegram answers
/// 429, some sellers have blocked the bot, an admin grants and refunds, and PostgreSQL restarts.
/// </summary>
[RunsLong(65)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_orders_through_killed_workers_killed_bot_replicas_429s_and_two_postgres_restarts_lose_nothing_and_pay_nothing_twice()
    {
        var options = new ChaosOptions
        {
            Orders = 20,
            Users = 10,
            Workers = 2,
            Seed = 7,
            PlacingTime = TimeSpan.FromSeconds(30),
            KillEvery = TimeSpan.FromSeconds(4),
            PostgresRestarts = 2,
            DrainTimeout = TimeSpan.FromMinutes(4),
            AdminEvery = 5,
            TooManyRequestsEvery = 6,
            BlockedOneIn = 5,
        };

        var report = await new ChaosRun(options, output.WriteLine).RunAsync();

        output.WriteLine(report.ToString());
        Assert.Equal(20, report.Orders);
        Assert.True(report.WorkerKills >= 2 && report.BotKills >= 1, report.ToString());
        Assert.Equal(2, report.PostgresRestarts);
        Assert.True(report.Delivered > 0 && report.Failed > 0, report.ToString()); // the mix reached both ends
        Assert.Equal(0, report.Stuck);
        Assert.Equal(0, report.RefundErrors);
        Assert.Equal(0, report.BalanceMismatches);
        Assert.Equal(0, report.ChargedNotDelivered);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.UnexplainedDuplicates);
        Assert.Equal(0, report.TasksOverAttempts);
        Assert.Equal(0, report.TasksUnrecorded); // every task KIE charged for is in the cost ledger
        Assert.True(report.KieCredits > 0, report.ToString());
        Assert.Equal(2, report.BotReplicas);
        Assert.True(report.GrantsSent == 4 && report.TooManyRequests > 0 && report.BlockedUsers == 2, report.ToString());
        Assert.Equal(0, report.GrantErrors);
        Assert.Equal(0, report.GrantsUnconfirmed);
        Assert.Equal(0, report.OutboxLeft);
    }
}
