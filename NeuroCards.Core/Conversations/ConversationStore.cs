using System.Text.Json.Nodes;
using NeuroCards.Core.Data;

namespace NeuroCards.Core.Conversations;

/// <summary>
/// The conversations table. An update records its id and locks its chat's row in its unit of work, and writes the new
/// state in it too: a repeated update id finds its row already there and is skipped; two replicas handling one chat take
/// turns on the row.
/// </summary>
public sealed class ConversationStore(Db db, ProcessedUpdates processed)
{
    /// <summary>A plain read of a chat's conversation (no lock): what a payment arriving later, or a photo about to be fetched, needs.</summary>
    public async Task<ConversationPeek> PeekAsync(long chatId, CancellationToken cancellationToken)
    {
        var row = await db.SingleOrDefaultAsync<(string? State, string? Data, int? MenuMessageId)>(
            "select state, data::text, menu_message_id from conversations where chat_id = @chatId", new { chatId }, cancellationToken);
        var data = row.Data is null ? [] : JsonNode.Parse(row.Data)?.AsObject() ?? [];
        return new ConversationPeek(DbText.TryParse<ConversationState>(row.State, out var state) ? state : null, row.MenuMessageId, data);
    }

    /// <summary>Inside the update's unit of work: records the update and locks its chat's row. Null when this update was handled before.</summary>
    public async Task<ConversationSession?> BeginAsync(long updateId, long chatId, long userId, ConversationState initialState,
        CancellationToken cancellationToken)
    {
        if (!Db.InTransaction) throw new InvalidOperationException("A conversation is read for an update inside the update's transaction.");
        if (!await processed.TryRecordAsync(updateId, cancellationToken)) return null;
        await db.ExecuteAsync("""
            insert into conversations (chat_id, user_id, state) values (@chatId, @userId, @initialState) on conflict (chat_id) do nothing
            """, new { chatId, userId, initialState = initialState.ToDb() }, cancellationToken);
        var row = await db.SingleAsync<(string State, string Data, int Version, int? MenuMessageId)>(
            "select state, data::text, version, menu_message_id from conversations where chat_id = @chatId for update",
            new { chatId }, cancellationToken);
        // A state an older release wrote and this one no longer has: back to the menu rather than a broken chat.
        var state = DbText.TryParse<ConversationState>(row.State, out var known) ? known : ConversationState.Menu;
        return new ConversationSession(chatId, state, JsonNode.Parse(row.Data)?.AsObject() ?? [], row.Version, row.MenuMessageId);
    }

    /// <summary>Writes the state the update leaves, in its unit of work.</summary>
    public async Task SaveAsync(ConversationSession session, CancellationToken cancellationToken)
    {
        var updated = await db.ExecuteAsync("""
            update conversations set state = @State, data = @data::jsonb, version = version + 1, updated_at = now()
            where chat_id = @ChatId and version = @Version
            """, new { State = session.State.ToDb(), data = session.Data.ToJsonString(), session.ChatId, session.Version }, cancellationToken);
        if (updated != 1) throw new InvalidOperationException("conversation changed underneath (optimistic concurrency)");
    }
}
