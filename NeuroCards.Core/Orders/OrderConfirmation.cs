using System.Data;
using Dapper;
using NeuroCards.Core.Money;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Data;
using Npgsql;

namespace NeuroCards.Core.Orders;

/// <summary>
/// "🚀 Start": the draft becomes an order — charged (the ledger), its jobs queued (the queue) and marked confirmed, in one
/// transaction. The order id is the idempotency key: a repeat returns the same jobs and charges nothing.
/// </summary>
public sealed class OrderConfirmation(NpgsqlDataSource dataSource)
{
    public async Task<ConfirmOrderResult> ConfirmAsync(Guid orderId, int pricePerVideo, string? traceContext = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pricePerVideo);
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        var conn = scoped.Connection;
        await using var work = await scoped.BeginAsync(IsolationLevel.ReadCommitted, cancellationToken: cancellationToken);
        var tx = work.Transaction;

        var order = await OrderDrafts.LockAsync(conn, tx, orderId, cancellationToken);
        if (order is null) return new ConfirmOrderResult.NotFound();
        if (order.Status == "cancelled") return new ConfirmOrderResult.Cancelled();
        if (order.Status != "draft")
        {
            var existing = (await conn.QueryAsync<Guid>(new CommandDefinition(
                "select id from jobs where order_id = @orderId order by index", new { orderId }, tx, cancellationToken: cancellationToken))).AsList();
            var balanceNow = await Ledger.BalanceAsync(conn, tx, order.UserId, cancellationToken);
            return new ConfirmOrderResult.Confirmed(existing, order.TotalCost ?? 0, balanceNow, AlreadyConfirmed: true);
        }

        var missing = order.MissingField();
        if (missing is not null) return new ConfirmOrderResult.Incomplete(missing);

        var cost = order.Count!.Value * pricePerVideo;
        var balanceAfter = await Ledger.ChargeOrderAsync(conn, tx, order.UserId, orderId, cost, cancellationToken);
        if (balanceAfter is null)
        {
            var balance = await Ledger.BalanceAsync(conn, tx, order.UserId, cancellationToken);
            await work.RollbackAsync(cancellationToken);
            return new ConfirmOrderResult.InsufficientBalance(cost, balance, cost - balance);
        }

        var jobIds = await JobQueue.EnqueueAsync(conn, tx, orderId, order.Count.Value, traceContext, cancellationToken);
        await OrderDrafts.MarkConfirmedAsync(conn, tx, orderId, pricePerVideo, cost, traceContext, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return new ConfirmOrderResult.Confirmed(jobIds, cost, balanceAfter.Value, AlreadyConfirmed: false);
    }
}
