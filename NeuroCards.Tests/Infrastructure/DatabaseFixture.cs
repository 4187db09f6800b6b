using NeuroCards.Core.Data;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using Npgsql;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated database for one test class (use as IClassFixture); with <see cref="ThroughPgBouncer"/>, every
/// connection goes through PgBouncer in transaction mode, as through Supabase's pooler.
/// </summary>
public class DatabaseFixture : IAsyncLifetime
{
    public bool ThroughPgBouncer { get; init; }

    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public Db Db { get; private set; } = null!;
    public Ledger Ledger { get; private set; } = null!;
    public OrderConfirmation Orders { get; private set; } = null!;
    public JobQueue Queue { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync();
        if (ThroughPgBouncer) ConnectionString = await PgBouncerServer.ConnectionStringAsync(new NpgsqlConnectionStringBuilder(ConnectionString).Database!);
        DataSource = NpgsqlDataSource.Create(ConnectionString + ";Maximum Pool Size=250");
        var data = DataLayer.Over(DataSource);
        (Db, Ledger, Queue, Orders) = (data.Db, data.Ledger, data.Queue, data.Orders);
    }

    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync();

    /// <summary>A new seller's confirmed orders of <paramref name="perOrder"/> videos each, their jobs queued.</summary>
    public async Task<(long UserId, IReadOnlyList<Guid> JobIds)> QueueJobsAsync(int orders, int perOrder = 1)
    {
        var userId = TestData.NewUserId();
        await Ledger.EnsureUserAsync(userId, null, "Seller", "ru");
        await Ledger.GrantAsync(userId, orders * perOrder, "test", adminId: 1);
        var jobs = new List<Guid>();
        for (var i = 0; i < orders; i++)
        {
            var orderId = await TestData.DraftOrderAsync(DataSource, userId, count: perOrder);
            jobs.AddRange(Assert.IsType<ConfirmOrderResult.Confirmed>(await Orders.ConfirmAsync(orderId, 1)).JobIds);
        }
        return (userId, jobs);
    }
}
