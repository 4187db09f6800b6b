using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using Npgsql;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>A fresh, migrated database for one test class (use as IClassFixture).</summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public Ledger Ledger { get; private set; } = null!;
    public OrderConfirmation Orders { get; private set; } = null!;
    public JobQueue Queue { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync();
        DataSource = NpgsqlDataSource.Create(ConnectionString + ";Maximum Pool Size=250");
        Ledger = new Ledger(DataSource);
        Orders = new OrderConfirmation(DataSource);
        Queue = new JobQueue(DataSource);
    }

    public async Task DisposeAsync() => await DataSource.DisposeAsync();
}
