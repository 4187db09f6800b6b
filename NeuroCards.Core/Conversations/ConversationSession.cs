using System.Text.Json.Nodes;
using Dapper;
using NeuroCards.Core.Data;
using Npgsql;

namespace NeuroCards.Core.Conversations;

/// <summary>
/// One update's unit of work: the update id is recorded and the chat's conversation row is locked
/// in one transaction, and the new state is written in it too. A repeated update id finds its row
/// already there and is skipped; two replicas handling one chat take turns on the row.
/// </summary>
public sealed class ConversationSession : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly int _version;

    private ConversationSession(NpgsqlConnection connection, NpgsqlTransaction transaction, long chatId, ConversationState state, JsonObject data, int version, int? menuMessageId)
    {
        _connection = connection;
        _transaction = transaction;
        ChatId = chatId;
        State = state;
        Data = data;
        _version = version;
        MenuMessageId = menuMessageId;
    }

    public long ChatId { get; }
    public ConversationState State { get; set; }
    public JsonObject Data { get; set; }
    /// <summary>The chat's screen (the message whose buttons act on the current step), as its sender recorded it.</summary>
    public int? MenuMessageId { get; }
    public NpgsqlConnection Connection => _connection;
    public NpgsqlTransaction Transaction => _transaction;

    /// <summary>The key under which a conversation keeps the order that was short of credits.</summary>
    public const string PendingOrderKey = "pendingOrderId";

    /// <summary>The key under which a conversation keeps the draft being built.</summary>
    public const string OrderKey = "orderId";

    /// <summary>A plain read of a chat's conversation (no lock): what a payment arriving later, or a photo about to be fetched, needs.</summary>
    public static async Task<ConversationPeek> PeekAsync(NpgsqlDataSource dataSource, long chatId, CancellationToken cancellationToken)
    {
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        var row = await scoped.Connection.QuerySingleOrDefaultAsync<(string? State, string? Data, int? MenuMessageId)>(new CommandDefinition(
            "select state, data::text, menu_message_id from conversations where chat_id = @chatId", new { chatId }, cancellationToken: cancellationToken));
        var data = row.Data is null ? [] : JsonNode.Parse(row.Data)?.AsObject() ?? [];
        return new ConversationPeek(DbText.TryParse<ConversationState>(row.State, out var state) ? state : null, row.MenuMessageId, data);
    }

    /// <summary>An order id kept in a conversation's data under <paramref name="key"/>; null when there is none.</summary>
    public static Guid? GuidIn(JsonObject data, string key) =>
        data[key]?.GetValue<string>() is { } text && Guid.TryParse(text, out var id) ? id : null;

    /// <summary>Null when this update was handled before.</summary>
    public static async Task<ConversationSession?> BeginAsync(NpgsqlDataSource dataSource, long updateId, long chatId, long userId, ConversationState initialState,
        CancellationToken cancellationToken)
    {
        var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var tx = await conn.BeginTransactionAsync(cancellationToken);
        try
        {
            if (!await ProcessedUpdates.TryRecordAsync(conn, tx, updateId, cancellationToken))
            {
                await tx.DisposeAsync();
                await conn.DisposeAsync();
                return null;
            }
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into conversations (chat_id, user_id, state) values (@chatId, @userId, @initialState) on conflict (chat_id) do nothing
                """, new { chatId, userId, initialState = initialState.ToDb() }, tx, cancellationToken: cancellationToken));
            var row = await conn.QuerySingleAsync<(string State, string Data, int Version, int? MenuMessageId)>(new CommandDefinition(
                "select state, data::text, version, menu_message_id from conversations where chat_id = @chatId for update",
                new { chatId }, tx, cancellationToken: cancellationToken));
            // A state an older release wrote and this one no longer has: back to the menu rather than a broken chat.
            var state = DbText.TryParse<ConversationState>(row.State, out var known) ? known : ConversationState.Menu;
            return new ConversationSession(conn, tx, chatId, state, JsonNode.Parse(row.Data)?.AsObject() ?? [], row.Version, row.MenuMessageId);
        }
        catch
        {
            await tx.DisposeAsync();
            await conn.DisposeAsync();
            throw;
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var updated = await _connection.ExecuteAsync(new CommandDefinition("""
            update conversations set state = @State, data = @data::jsonb, version = version + 1, updated_at = now()
            where chat_id = @ChatId and version = @_version
            """, new { State = State.ToDb(), data = Data.ToJsonString(), ChatId, _version }, _transaction, cancellationToken: cancellationToken));
        if (updated != 1) throw new InvalidOperationException("conversation changed underneath (optimistic concurrency)");
        await _transaction.CommitAsync(cancellationToken);
    }

    private bool _disposed;

    /// <summary>Ends the transaction (rolled back unless committed) and returns the connection; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
