using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using NeuroCards.Core.Data;
using Telegram.Bot;

namespace NeuroCards.Bot.Outbox;

/// <summary>
/// The outbox's rows. Messages are added in the caller's unit of work (the update's transaction), so they exist exactly
/// when the work they report committed. One sender at a time holds a chat (a claim that expires, so a dead sender's
/// chat is taken over) and sends its messages oldest first, deleting each as Telegram takes it.
/// </summary>
public sealed class TelegramOutbox(NpgsqlDataSource dataSource)
{
    /// <summary>How long a sender may take over one chat's messages before another may take them over.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromSeconds(90);

    public async Task AddAsync(IReadOnlyCollection<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0) return;
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        // One statement for all of them; ids follow the order they were said in.
        await scoped.Connection.ExecuteAsync(new CommandDefinition("""
            insert into telegram_outbox (chat_id, message)
            select m.chat_id, m.message from unnest(@chats, @bodies::jsonb[]) with ordinality as m(chat_id, message, n) order by m.n
            """, new { chats = messages.Select(m => m.ChatId).ToArray(), bodies = messages.Select(Serialize).ToArray() },
            scoped.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The chat's messages, if none is held by another sender and the oldest is due; empty otherwise. Waits only for
    /// another claim being written, never for a send.
    /// </summary>
    public async Task<ClaimedChat> ClaimAsync(long chatId, CancellationToken cancellationToken)
    {
        var claim = Guid.NewGuid();
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await conn.QueryAsync<(long Id, string Message, int Attempts, int? Screen)>(new CommandDefinition("""
            with chat as (
                select id, due_at, claimed_until from telegram_outbox where chat_id = @chatId order by id for update),
            claimed as (
                update telegram_outbox o
                set claim = @claim, claimed_until = now() + make_interval(secs => @seconds), attempts = o.attempts + 1
                from chat
                where o.id = chat.id
                  and not exists (select 1 from chat where claimed_until > now())
                  and (select min(due_at) from chat) <= now()
                returning o.id, o.message::text as message, o.attempts)
            select c.id, c.message, c.attempts, (select menu_message_id from conversations where chat_id = @chatId) as screen from claimed c order by c.id
            """, new { chatId, claim, seconds = ClaimFor.TotalSeconds }, cancellationToken: cancellationToken))).AsList();
        var screen = rows.Count > 0 ? rows[0].Screen : null;
        return new ClaimedChat(chatId, claim, screen, rows.Select(r => new ClaimedMessage(r.Id, Deserialize(r.Message), r.Attempts)).ToList());
    }

    /// <summary>
    /// Telegram has the message: its row goes, and the chat's screen is recorded when it changed. False when the claim
    /// was lost (this sender took too long and another took the chat over).
    /// </summary>
    public async Task<bool> SentAsync(ClaimedChat chat, long id, int? screen, bool screenChanged, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
            with sent as (delete from telegram_outbox where id = @id and claim = @Claim returning chat_id),
            screen as (
                update conversations c set menu_message_id = @screen from sent where @screenChanged and c.chat_id = sent.chat_id returning 1)
            select count(*)::int from sent
            """, new { id, chat.Claim, screen, screenChanged }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The chat's messages wait until <paramref name="delay"/> has passed; the claim is given up.</summary>
    public async Task DeferAsync(ClaimedChat chat, TimeSpan delay, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition("""
            update telegram_outbox set claim = null, claimed_until = null, due_at = now() + make_interval(secs => @seconds)
            where chat_id = @ChatId and claim = @Claim
            """, new { chat.ChatId, chat.Claim, seconds = delay.TotalSeconds }, cancellationToken: cancellationToken));
    }

    /// <summary>Messages Telegram will never take (the user blocked the bot, the chat is gone, the request is refused).</summary>
    public async Task DropAsync(ClaimedChat chat, IEnumerable<long> ids, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await conn.ExecuteAsync(new CommandDefinition("delete from telegram_outbox where id = any(@ids) and claim = @Claim",
            new { ids = ids.ToArray(), chat.Claim }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Chats whose messages were left behind: the oldest older than <paramref name="age"/> (its own sender had time),
    /// due, and held by nobody.
    /// </summary>
    public async Task<IReadOnlyList<long>> LeftBehindAsync(TimeSpan age, int limit, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await conn.QueryAsync<long>(new CommandDefinition("""
            select chat_id from telegram_outbox group by chat_id
            having min(created_at) < now() - make_interval(secs => @seconds) and min(due_at) <= now()
               and not bool_or(coalesce(claimed_until > now(), false))
            order by min(id) limit @limit
            """, new { seconds = age.TotalSeconds, limit }, cancellationToken: cancellationToken))).AsList();
    }

    // Telegram's own rules for its types (the keyboard), every value written (Telegram.Bot's leave defaults out).
    private static readonly JsonSerializerOptions Json = new(JsonBotAPI.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private static string Serialize(OutgoingMessage message) => JsonSerializer.Serialize(message, Json);

    private static OutgoingMessage Deserialize(string json) =>
        JsonSerializer.Deserialize<OutgoingMessage>(json, Json) ?? throw new InvalidDataException("an empty outbox row");
}
