using Dapper;
using NeuroCards.Core.Data;
using Npgsql;

namespace NeuroCards.Core.Orders;

/// <summary>A user's past orders and the videos they made, as the account and the admin commands list them.</summary>
public sealed class OrderHistory(Db db)
{
    /// <summary>Placed orders, newest first (empty drafts a user walked away from are not orders; a catalogue's cards are its batch's).</summary>
    public async Task<IReadOnlyList<OrderLine>> RecentAsync(long userId, int limit, CancellationToken cancellationToken)
    {
        return await db.ListAsync<OrderLine>("""
            select id, created_at, status, template, count, description from orders
            where user_id = @userId and status <> 'draft' and batch_id is null
              and not (status = 'cancelled' and (photo_key is null or description is null))
            order by created_at desc limit @limit
            """, new { userId, limit }, cancellationToken);
    }

    /// <summary>Every order including drafts, newest first: what an operator looking into a user needs.</summary>
    public async Task<IReadOnlyList<OrderLine>> AllRecentAsync(long userId, int limit, CancellationToken cancellationToken)
    {
        return await db.ListAsync<OrderLine>(
            "select id, created_at, status, template, count, description from orders where user_id = @userId order by created_at desc limit @limit",
            new { userId, limit }, cancellationToken);
    }

    public async Task<IReadOnlyList<FinishedVideo>> FinishedVideosAsync(long userId, int limit, CancellationToken cancellationToken)
    {
        return await db.ListAsync<FinishedVideo>(
            VideoSelect + " where j.user_id = @userId and (j.result_key is not null or j.status = 'delivered') order by j.created_at desc, j.index limit @limit",
            new { userId, limit }, cancellationToken);
    }

    /// <summary>One of the user's videos (null for another user's job, so a forged button shows nothing).</summary>
    public async Task<FinishedVideo?> FinishedVideoAsync(Guid jobId, long userId, CancellationToken cancellationToken)
    {
        return await db.SingleOrDefaultAsync<FinishedVideo>(
            VideoSelect + " where j.id = @jobId and j.user_id = @userId", new { jobId, userId }, cancellationToken);
    }

    /// <summary>The user's delivered videos, newest first: the Mini App's gallery.</summary>
    public Task<List<GalleryVideo>> GalleryAsync(long userId, int offset, int limit, CancellationToken cancellationToken) =>
        db.ListAsync<GalleryVideo>(GallerySelect + """
             where j.user_id = @userId and j.status = 'delivered'
             order by coalesce(j.delivered_at, j.succeeded_at, j.created_at) desc, j.index, j.id offset @offset limit @limit
            """, new { userId, offset, limit }, cancellationToken);

    /// <summary>One delivered video of the user's (null for anyone else's).</summary>
    public Task<GalleryVideo?> GalleryVideoAsync(Guid jobId, long userId, CancellationToken cancellationToken) =>
        db.SingleOrDefaultAsync<GalleryVideo>(GallerySelect + " where j.id = @jobId and j.user_id = @userId and j.status = 'delivered'",
            new { jobId, userId }, cancellationToken);

    private const string GallerySelect = """
        select j.id, j.order_id, j.index, o.count as total, j.telegram_file_id, j.result_key, j.description, j.template, j.format,
               j.result_width, j.result_height, j.result_duration, coalesce(j.delivered_at, j.succeeded_at, j.created_at) as delivered_at, o.article,
               (select string_agg(distinct p.marketplace, ',' order by p.marketplace) from publications p where p.job_id = j.id and p.state = 'published') as on_cards
        from jobs j join orders o on o.id = j.order_id
        """;

    /// <summary>The videos of these orders of the user's, each with its refund if it had one.</summary>
    public Task<List<OrderJobLine>> JobsAsync(long userId, IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken) =>
        db.ListAsync<OrderJobLine>("""
            select j.order_id, j.id, j.index, j.status, j.stage, j.error_class,
                   exists (select 1 from ledger l where l.job_id = j.id and l.kind = 'refund') as refunded
            from jobs j where j.user_id = @userId and j.order_id = any(@orderIds) order by j.order_id, j.index
            """, new { userId, orderIds = orderIds.ToArray() }, cancellationToken);

    /// <summary>One placed order of the user's (null for another user's, so a guessed id shows nothing).</summary>
    public Task<OrderLine?> PlacedAsync(Guid orderId, long userId, CancellationToken cancellationToken) =>
        db.SingleOrDefaultAsync<OrderLine>(
            "select id, created_at, status, template, count, description from orders where id = @orderId and user_id = @userId and status <> 'draft'",
            new { orderId, userId }, cancellationToken);

    /// <summary>Orders placed (not drafts), ever.</summary>
    public async Task<int> CountPlacedAsync(CancellationToken cancellationToken)
    {
        return await db.ScalarAsync<int>(
            "select count(*)::int from orders where status <> 'draft'", null, cancellationToken);
    }

    private const string VideoSelect = """
        select j.id, j.order_id, j.index, o.count as total, j.telegram_file_id, j.result_key from jobs j join orders o on o.id = j.order_id
        """;
}
