using NeuroCards.Core.Data;

namespace NeuroCards.Core.Orders;

/// <summary>An order while the user builds it: created with its id (the charge's idempotency key) when the flow starts.</summary>
public sealed class OrderDrafts(Db db)
{
    public async Task<Guid> CreateAsync(long userId, long chatId, string language, Guid? copyFrom, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync("""
            insert into orders (id, user_id, chat_id, language, photo_key, photo_file_id, description, source_order_id, format, captions, article)
            select @id, @userId, @chatId, @language, s.photo_key, s.photo_file_id, s.description, s.id, coalesce(s.format, 'vertical'), s.captions, s.article
            from (select 1) one left join orders s on s.id = @copyFrom and s.user_id = @userId
            """, new { id, userId, chatId, language, copyFrom }, cancellationToken);
        return id;
    }

    public Task<OrderDraft?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.SingleOrDefaultAsync<OrderDraft>("select * from orders where id = @id", new { id }, cancellationToken);

    /// <summary>The order, its row locked until the transaction ends: concurrent confirmations queue up here.</summary>
    public Task<OrderDraft?> LockAsync(Guid id, CancellationToken cancellationToken) =>
        db.SingleOrDefaultAsync<OrderDraft>("select * from orders where id = @id for update", new { id }, cancellationToken);

    /// <summary>Sets one input of a draft; confirmed orders never change.</summary>
    public Task SetAsync<T>(Guid id, DraftField<T> field, T value, CancellationToken cancellationToken) =>
        db.ExecuteAsync($"update orders set {field.Column} = @value, updated_at = now() where id = @id and status = 'draft'",
            new { id, value = field.ToDb(value) }, cancellationToken);

    public Task CancelAsync(Guid id, CancellationToken cancellationToken) =>
        db.ExecuteAsync("update orders set status = 'cancelled', updated_at = now() where id = @id and status = 'draft'", new { id }, cancellationToken);

    /// <summary>The draft becomes a confirmed order, inside the charge's transaction.</summary>
    public Task MarkConfirmedAsync(Guid id, int pricePerVideo, int cost, string? traceContext, CancellationToken cancellationToken) =>
        db.ExecuteAsync("""
            update orders set status = 'confirmed', confirmed_at = now(), updated_at = now(),
                              price_per_video = @pricePerVideo, total_cost = @cost, trace_context = coalesce(@traceContext, trace_context)
            where id = @id
            """, new { id, pricePerVideo, cost, traceContext }, cancellationToken);
}
