using Dapper;
using NeuroCards.Core.Data;
using Npgsql;

namespace NeuroCards.Core.Orders;

/// <summary>An order while the user builds it: created with its id (the charge's idempotency key) when the flow starts.</summary>
public static class OrderDrafts
{
    public static async Task<Guid> CreateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long userId, long chatId, string language,
        Guid? copyFrom, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into orders (id, user_id, chat_id, language, photo_key, photo_file_id, description, source_order_id, format, captions)
            select @id, @userId, @chatId, @language, s.photo_key, s.photo_file_id, s.description, s.id, coalesce(s.format, 'vertical'), s.captions
            from (select 1) one left join orders s on s.id = @copyFrom and s.user_id = @userId
            """, new { id, userId, chatId, language, copyFrom }, tx, cancellationToken: cancellationToken));
        return id;
    }

    public static Task<OrderDraft?> GetAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid id, CancellationToken cancellationToken) =>
        conn.QuerySingleOrDefaultAsync<OrderDraft>(new CommandDefinition("select * from orders where id = @id", new { id }, tx, cancellationToken: cancellationToken));

    /// <summary>An order read outside any update (a payment arriving later).</summary>
    public static async Task<OrderDraft?> GetAsync(NpgsqlDataSource dataSource, Guid id, CancellationToken cancellationToken)
    {
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        var conn = scoped.Connection;
        return await GetAsync(conn, null, id, cancellationToken);
    }

    /// <summary>The order, its row locked until the transaction ends: concurrent confirmations queue up here.</summary>
    public static Task<OrderDraft?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, CancellationToken cancellationToken) =>
        conn.QuerySingleOrDefaultAsync<OrderDraft>(new CommandDefinition("select * from orders where id = @id for update", new { id }, tx,
            cancellationToken: cancellationToken));

    /// <summary>Sets one input of a draft; confirmed orders never change.</summary>
    public static async Task SetAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, string column, object? value, CancellationToken cancellationToken)
    {
        if (column is not ("photo_key" or "photo_file_id" or "description" or "template" or "wishes" or "user_prompt" or "model" or "count" or "language" or "format" or "captions"))
            throw new ArgumentOutOfRangeException(nameof(column));
        await conn.ExecuteAsync(new CommandDefinition(
            $"update orders set {column} = @value, updated_at = now() where id = @id and status = 'draft'", new { id, value }, tx, cancellationToken: cancellationToken));
    }

    public static Task CancelAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, CancellationToken cancellationToken) =>
        conn.ExecuteAsync(new CommandDefinition("update orders set status = 'cancelled', updated_at = now() where id = @id and status = 'draft'",
            new { id }, tx, cancellationToken: cancellationToken));

    /// <summary>The draft becomes a confirmed order, inside the charge's transaction.</summary>
    public static Task MarkConfirmedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, int pricePerVideo, int cost, string? traceContext,
        CancellationToken cancellationToken) =>
        conn.ExecuteAsync(new CommandDefinition("""
            update orders set status = 'confirmed', confirmed_at = now(), updated_at = now(),
                              price_per_video = @pricePerVideo, total_cost = @cost, trace_context = coalesce(@traceContext, trace_context)
            where id = @id
            """, new { id, pricePerVideo, cost, traceContext }, tx, cancellationToken: cancellationToken));
}
