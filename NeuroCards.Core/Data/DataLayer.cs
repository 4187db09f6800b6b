using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using Npgsql;

namespace NeuroCards.Core.Data;

/// <summary>The money and queue classes over one database, for hosts without a container (benchmarks, the chaos run, tests).</summary>
public sealed record DataLayer(Db Db, Ledger Ledger, OrderDrafts Drafts, JobQueue Queue, OrderConfirmation Orders)
{
    public static DataLayer Over(NpgsqlDataSource dataSource)
    {
        var db = new Db(dataSource);
        var ledger = new Ledger(db);
        var drafts = new OrderDrafts(db);
        var queue = new JobQueue(db, ledger);
        return new DataLayer(db, ledger, drafts, queue, new OrderConfirmation(db, drafts, ledger, queue));
    }
}
