using NeuroCards.Core.Data;
using NeuroCards.Core.Money;
using NeuroCards.Core.Queue;

namespace NeuroCards.Core.Orders;

/// <summary>
/// "🚀 Start": the draft becomes an order — charged (the ledger), its jobs queued (the queue) and marked confirmed, in one
/// transaction. The order id is the idempotency key: a repeat returns the same jobs and charges nothing.
/// </summary>
public sealed class OrderConfirmation(Db db, OrderDrafts drafts, Ledger ledger, JobQueue queue)
{
    public async Task<ConfirmOrderResult> ConfirmAsync(Guid orderId, int pricePerVideo, string? traceContext = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pricePerVideo);
        return await db.TransactionAsync<ConfirmOrderResult>(async _ =>
        {
            var order = await drafts.LockAsync(orderId, cancellationToken);
            if (order is null) return new ConfirmOrderResult.NotFound();
            if (order.Status == "cancelled") return new ConfirmOrderResult.Cancelled();
            if (order.Status != "draft")
            {
                var existing = await db.ListAsync<Guid>(
                    "select id from jobs where order_id = @orderId order by index", new { orderId }, cancellationToken);
                var balanceNow = await ledger.GetBalanceAsync(order.UserId, cancellationToken);
                return new ConfirmOrderResult.Confirmed(existing, order.TotalCost ?? 0, balanceNow, AlreadyConfirmed: true);
            }

            var missing = order.MissingField();
            if (missing is not null) return new ConfirmOrderResult.Incomplete(missing);

            var cost = order.Count!.Value * pricePerVideo;
            var balanceAfter = await ledger.ChargeOrderAsync(order.UserId, orderId, cost, cancellationToken);
            if (balanceAfter is null)
            {
                var balance = await ledger.GetBalanceAsync(order.UserId, cancellationToken);
                return new ConfirmOrderResult.InsufficientBalance(cost, balance, cost - balance);
            }

            var jobIds = await queue.EnqueueAsync(orderId, order.Count.Value, traceContext, cancellationToken);
            await drafts.MarkConfirmedAsync(orderId, pricePerVideo, cost, traceContext, cancellationToken);
            return new ConfirmOrderResult.Confirmed(jobIds, cost, balanceAfter.Value, AlreadyConfirmed: false);
        }, cancellationToken);
    }
}
