using Dapper;
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
            insert into orders (id, user_id, chat_id, language, photo_key, photo_file_id, description, source_order_id)
            select @id, @userId, @chatId, @language, s.photo_key, s.photo_file_id, s.description, s.id
            from (select 1) one left join orders s on s.id = @copyFrom and s.user_id = @userId
            """, new { id, userId, chatId, language, copyFrom }, tx, cancellationToken: cancellationToken));
        return id;
    }

    public static Task<OrderDraft?> GetAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid id, CancellationToken cancellationToken) =>
        conn.QuerySingleOrDefaultAsync<OrderDraft>(new CommandDefinition("select * from orders where id = @id", new { id }, tx, cancellationToken: cancellationToken));

    /// <summary>Sets one input of a draft; confirmed orders never change.</summary>
    public static async Task SetAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, string column, object? value, CancellationToken cancellationToken)
    {
        if (column is not ("photo_key" or "photo_file_id" or "description" or "template" or "wishes" or "user_prompt" or "model" or "count" or "language"))
            throw new ArgumentOutOfRangeException(nameof(column));
        await conn.ExecuteAsync(new CommandDefinition(
            $"update orders set {column} = @value, updated_at = now() where id = @id and status = 'draft'", new { id, value }, tx, cancellationToken: cancellationToken));
    }

    public static Task CancelAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, CancellationToken cancellationToken) =>
        conn.ExecuteAsync(new CommandDefinition("update orders set status = 'cancelled', updated_at = now() where id = @id and status = 'draft'",
            new { id }, tx, cancellationToken: cancellationToken));

    public static Task SetStatusMessageAsync(NpgsqlDataSource db, Guid id, int messageId, string text, CancellationToken cancellationToken) =>
        ExecuteAsync(db, "update orders set status_message_id = @messageId, status_text = @text, status_updated_at = now() where id = @id",
            new { id, messageId, text }, cancellationToken);

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql, object args, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: cancellationToken));
    }
}
