using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using NeuroCards.Core.Data;
using Telegram.Bot;

namespace NeuroCards.Bot.Outbox;

/// <summary>
/// The outbox's rows. Messages are added in the caller's unit of work (the update's transaction), so they exist exactly
/// when the work they report committed. One sender at a time holds a chat (a claim that expires, so a dead sender's
/// chat is taken over), sends its messages oldest first and then deletes in one write what Telegram took.
/// </summary>
public sealed class TelegramOutbox(Db db)
{
    /// <summary>How long a sender may take over one chat's messages before another may take them over.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Writes the messages in the caller's unit of work. When they are all for one chat with nothing waiting before them
    /// (and <paramref name="claimForCaller"/>), they are written already claimed by the caller, who sends them after its commit
    /// without asking again (the common case: an update answering its own chat); otherwise null, and they are claimed
    /// after the commit like any others.
    /// </summary>
    public async Task<ClaimedChat?> AddAsync(IReadOnlyList<OutgoingMessage> messages, bool claimForCaller, CancellationToken cancellationToken)
    {
        if (messages.Count == 0) return null;
        var bodies = messages.Select(Serialize).ToArray();
        if (!claimForCaller || messages.Select(m => m.ChatId).Distinct().Count() > 1)
        {
            // One statement for all of them; ids follow the order they were said in.
            await db.ExecuteAsync("""
                insert into telegram_outbox (chat_id, message)
                select m.chat_id, m.message from unnest(@chats, @bodies::jsonb[]) with ordinality as m(chat_id, message, n) order by m.n
                """, new { chats = messages.Select(m => m.ChatId).ToArray(), bodies }, cancellationToken);
            return null;
        }
        var chatId = messages[0].ChatId;
        var claimId = Guid.NewGuid();
        var row = await db.SingleAsync<(bool Waiting, long[] Ids, int? Screen)>("""
            with waiting as (select exists (select 1 from telegram_outbox where chat_id = @chatId) as pending),
            added as (
                insert into telegram_outbox (chat_id, message, claim, claimed_until, attempts)
                select @chatId, m.message, case when w.pending then null else @claim end,
                       case when w.pending then null else now() + make_interval(secs => @seconds) end, case when w.pending then 0 else 1 end
                from unnest(@bodies::jsonb[]) with ordinality as m(message, n), waiting w
                order by m.n
                returning id)
            select (select pending from waiting), (select array_agg(id order by id) from added),
                   (select menu_message_id from conversations where chat_id = @chatId)
            """, new { chatId, claim = claimId, bodies, seconds = ClaimFor.TotalSeconds }, cancellationToken);
        return row.Waiting ? null : new ClaimedChat(chatId, claimId, row.Screen, row.Ids.Zip(messages, (id, m) => new ClaimedMessage(id, m, 1)).ToList());
    }

    /// <summary>
    /// The chat's messages, if none is held by another sender and the oldest is due; empty otherwise. Waits only for
    /// another claim being written, never for a send.
    /// </summary>
    public async Task<ClaimedChat> ClaimAsync(long chatId, CancellationToken cancellationToken)
    {
        var claim = Guid.NewGuid();
        var rows = await db.ListAsync<(long Id, string Message, int Attempts, int? Screen)>("""
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
            """, new { chatId, claim, seconds = ClaimFor.TotalSeconds }, cancellationToken);
        var screen = rows.Count > 0 ? rows[0].Screen : null;
        return new ClaimedChat(chatId, claim, screen, rows.Select(r => new ClaimedMessage(r.Id, Deserialize(r.Message), r.Attempts)).ToList());
    }

    /// <summary>
    /// One write after a chat's sends: the rows Telegram took (or will never take) go, the chat's screen is recorded when
    /// it changed, and the rest wait <paramref name="wait"/> with the claim given up. False when the claim was lost (this
    /// sender took too long and another took the chat over).
    /// </summary>
    public async Task<bool> FinishAsync(ClaimedChat chat, IReadOnlyList<long> done, int? screen, bool screenChanged, TimeSpan wait,
        CancellationToken cancellationToken)
    {
        return await db.ScalarAsync<int>("""
            with held as (select id from telegram_outbox where chat_id = @ChatId and claim = @Claim),
            gone as (delete from telegram_outbox where id = any(@done) and claim = @Claim returning id),
            waiting as (
                update telegram_outbox set claim = null, claimed_until = null, due_at = now() + make_interval(secs => @seconds)
                where chat_id = @ChatId and claim = @Claim and id <> all(@done) returning id),
            screen as (
                update conversations set menu_message_id = @screen where @screenChanged and chat_id = @ChatId and exists (select 1 from held) returning 1)
            select count(*)::int from held
            """, new { chat.ChatId, chat.Claim, done = done.ToArray(), screen, screenChanged, seconds = wait.TotalSeconds }, cancellationToken) > 0;
    }

    /// <summary>
    /// Chats whose messages were left behind: the oldest older than <paramref name="age"/> (its own sender had time),
    /// due, and held by nobody.
    /// </summary>
    public async Task<IReadOnlyList<long>> LeftBehindAsync(TimeSpan age, int limit, CancellationToken cancellationToken)
    {
        return await db.ListAsync<long>("""
            select chat_id from telegram_outbox group by chat_id
            having min(created_at) < now() - make_interval(secs => @seconds) and min(due_at) <= now()
               and not bool_or(coalesce(claimed_until > now(), false))
            order by min(id) limit @limit
            """, new { seconds = age.TotalSeconds, limit }, cancellationToken);
    }

    // Telegram's own rules for its types (the keyboard), every value written (Telegram.Bot's leave defaults out).
    private static readonly JsonSerializerOptions Json = new(JsonBotAPI.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private static string Serialize(OutgoingMessage message) => JsonSerializer.Serialize(message, Json);

    private static OutgoingMessage Deserialize(string json) =>
        JsonSerializer.Deserialize<OutgoingMessage>(json, Json) ?? throw new InvalidDataException("an empty outbox row");
}
