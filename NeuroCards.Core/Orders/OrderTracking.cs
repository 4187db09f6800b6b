using Dapper;
using NeuroCards.Core.Data;
using NeuroCards.Core.Queue;
using Npgsql;

namespace NeuroCards.Core.Orders;

/// <summary>An order after "🚀 Start": its progress as the jobs move, the one status message kept in step, and its closing.</summary>
public sealed class OrderTracking(Db db)
{
    /// <summary>The message that tells the order's progress (the confirmation, edited in place), shown to the worker at once.</summary>
    public async Task SetStatusMessageAsync(Guid orderId, int messageId, string text, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync(
            "update orders set status_message_id = @messageId, status_text = @text, status_updated_at = now() where id = @orderId",
            new { orderId, messageId, text }, cancellationToken);
    }

    public async Task<OrderProgressSnapshot?> GetProgressAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var order = await db.SingleOrDefaultAsync<OrderStatusView>(
            "select chat_id, status_message_id, language, count, status_text from orders where id = @orderId",
            new { orderId }, cancellationToken);
        if (order?.StatusMessageId is null) return null;

        var jobs = await db.ListAsync<JobProgress>(
            "select status, stage, provider_created_at, created_at from jobs where order_id = @orderId",
            new { orderId }, cancellationToken);
        if (jobs.Count == 0) return null;

        var firstQueued = jobs.Where(j => j.Stage == JobStage.Queued).Select(j => (DateTime?)j.CreatedAt).Min();
        var ahead = firstQueued is null ? 0 : await db.ScalarAsync<int>(
            "select count(*)::int from jobs where stage = 'queued' and status = 'queued' and created_at < @firstQueued and order_id <> @orderId",
            new { firstQueued, orderId }, cancellationToken);
        return new OrderProgressSnapshot(order, jobs, ahead);
    }

    /// <summary>
    /// Claims the right to edit the status message to <paramref name="text"/>: one writer per interval, only if the text
    /// moved on (always when the order finished, which also marks it completed).
    /// </summary>
    public async Task<bool> TryClaimStatusEditAsync(Guid orderId, string text, bool finished, TimeSpan minInterval, CancellationToken cancellationToken)
    {
        return await db.ExecuteAsync("""
            update orders set status_text = @text, status_updated_at = now(),
                              status = case when @finished then 'completed' else status end, updated_at = now()
            where id = @orderId and status_text is distinct from @text
              and (@finished or status_updated_at is null or status_updated_at < now() - @minInterval)
            """, new { orderId, text, finished, minInterval }, cancellationToken) == 1;
    }

    /// <summary>Marks the order finished once its last job ended; only the caller that does so gets the order back.</summary>
    public async Task<ClosedOrder?> CloseAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var order = await db.SingleOrDefaultAsync<ClosingRow>("""
            update orders set finished_at = now(), updated_at = now()
            where id = @orderId and finished_at is null
              and not exists (select 1 from jobs where order_id = @orderId and status in ('queued', 'running'))
            returning user_id, chat_id, language, count, coalesce(price_per_video, 1) as price_per_video
            """, new { orderId }, cancellationToken);
        if (order is null) return null;

        var failures = await db.ListAsync<string>(
            "select coalesce(error_class, 'unknown') from jobs where order_id = @orderId and status = 'failed' order by index",
            new { orderId }, cancellationToken);
        var undelivered = await db.ScalarAsync<int>(
            "select count(*)::int from jobs where order_id = @orderId and status = 'undeliverable'", new { orderId }, cancellationToken);
        var balance = await db.ScalarAsync<int>(
            "select balance from users where id = @UserId", new { order.UserId }, cancellationToken);
        var forCards = await db.ScalarAsync<int>(
            "select count(*)::int from jobs where order_id = @orderId and status = 'delivered' and format = 'card'", new { orderId }, cancellationToken);
        var classes = failures.Select(f => DbText.TryParse<FailureClass>(f, out var known) ? known : FailureClass.Unknown).ToList();
        return new ClosedOrder(order.UserId, order.ChatId, order.Language, order.Count, order.PricePerVideo, classes, undelivered, balance)
        {
            ForCards = forCards,
        };
    }

    private sealed record ClosingRow(long UserId, long ChatId, string Language, int Count, int PricePerVideo);
}
