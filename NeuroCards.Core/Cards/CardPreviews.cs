using Microsoft.Extensions.Options;
using NeuroCards.Core.Data;

namespace NeuroCards.Core.Cards;

/// <summary>
/// The card video's previews: asked for by the bot inside its update's transaction, made by a worker outside any, and
/// read back when the seller presses «🚀 Делаем». Every making asked for is counted against the seller's day.
/// </summary>
public sealed class CardPreviews(Db db, IOptions<CardVideoOptions> options, TimeProvider time)
{
    private CardVideoOptions Limits => options.Value;

    /// <summary>A card video costs its model's price for each scene: each scene is one paid clip.</summary>
    public static int Price(int modelPrice, int scenes) => modelPrice * scenes;

    public Task<CardPreview?> GetAsync(Guid orderId, CancellationToken cancellationToken) =>
        db.SingleOrDefaultAsync<CardPreview>($"select {Columns} from card_previews where order_id = @orderId", new { orderId }, cancellationToken);

    /// <summary>
    /// Asks for the order's first preview, a new one after a typed <paramref name="change"/>, or other stills
    /// (<paramref name="redraw"/>: counted against the free re-draws). Refused while one is being made, past the re-draws
    /// and past the seller's day (makings or what their stills cost us). A <paramref name="voice"/> changes the voice.
    /// </summary>
    public Task<PreviewRequest> RequestAsync(Guid orderId, long userId, long chatId, string? change, bool redraw,
        CancellationToken cancellationToken, string? voice = null) =>
        db.TransactionAsync(async _ =>
        {
            var existing = await db.SingleOrDefaultAsync<CardPreview>(
                $"select {Columns} from card_previews where order_id = @orderId for update", new { orderId }, cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            if (existing is { State: CardPreviewState.Requested } || (existing is { State: CardPreviewState.Making } && !Expired(existing, now)))
                return PreviewRequest.Busy;
            if (redraw && existing is not null && existing.Redraws >= Limits.Redraws) return PreviewRequest.RedrawLimit;
            var (makings, credits) = await db.SingleAsync<(long, decimal)>("""
                select count(*), coalesce(sum(kie_credits), 0) from card_preview_makings where user_id = @userId and asked_at > @since
                """, new { userId, since = now.AddDays(-1) }, cancellationToken);
            if (makings >= Limits.PreviewsPerDay || credits >= Limits.PreviewKieCreditsPerDay) return PreviewRequest.DailyLimit;
            await db.ExecuteAsync("""
                insert into card_previews (order_id, user_id, chat_id, change, voice) values (@orderId, @userId, @chatId, @change, coalesce(@voice, 'marina'))
                on conflict (order_id) do update set state = 'requested', change = coalesce(excluded.change, card_previews.change),
                    voice = coalesce(@voice, card_previews.voice),
                    redraws = card_previews.redraws + @redraws, lease_token = null, locked_until = null, error = null, updated_at = now();
                insert into card_preview_makings (order_id, user_id) values (@orderId, @userId);
                select pg_notify('card_previews', '');
                """, new { orderId, userId, chatId, change, voice, redraws = redraw ? 1 : 0 }, cancellationToken);
            return PreviewRequest.Requested;
        }, cancellationToken);

    private bool Expired(CardPreview preview, DateTime now) => preview.UpdatedAt.AddSeconds(Limits.MakingSeconds) < now;

    /// <summary>One preview to make (asked for, or left by a worker that died making it), leased to the caller.</summary>
    public Task<(CardPreview Preview, Guid Lease)?> ClaimAsync(CancellationToken cancellationToken) =>
        db.TransactionAsync<(CardPreview, Guid)?>(async _ =>
        {
            var lease = Guid.NewGuid();
            var preview = await db.SingleOrDefaultAsync<CardPreview>($"""
                update card_previews set state = 'making', lease_token = @lease, locked_until = now() + make_interval(secs => @seconds),
                    updated_at = now()
                where order_id = (select order_id from card_previews
                                  where state = 'requested' or (state = 'making' and locked_until < now())
                                  order by updated_at limit 1 for update skip locked)
                returning {Columns}
                """, new { lease, seconds = (double)Limits.MakingSeconds }, cancellationToken);
            return preview is null ? null : (preview, lease);
        }, cancellationToken);

    /// <summary>The making's result, kept only while the caller still holds it; the typed change is spent.</summary>
    public async Task<bool> MadeAsync(Guid orderId, Guid lease, string storyboard, int scenes, string[] keyframeKeys,
        CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            update card_previews set storyboard = @storyboard::jsonb, scenes = @scenes, keyframe_keys = @keyframeKeys, change = null,
                updated_at = now()
            where order_id = @orderId and lease_token = @lease and state = 'making'
            """, new { orderId, lease, storyboard, scenes, keyframeKeys }, cancellationToken) == 1;

    /// <summary>
    /// The script the stills are drawn for, kept (and the typed change spent) before they are drawn: a worker that takes
    /// the preview over draws for the same script.
    /// </summary>
    public async Task<bool> ScriptAsync(Guid orderId, Guid lease, string storyboard, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            update card_previews set storyboard = @storyboard::jsonb, change = null, updated_at = now()
            where order_id = @orderId and lease_token = @lease and state = 'making'
            """, new { orderId, lease, storyboard }, cancellationToken) == 1;

    /// <summary>The still tasks KIE took for this making so far (a worker that took the preview over waits for them).</summary>
    public async Task<IReadOnlyList<StillTask>> StillTasksAsync(Guid orderId, CancellationToken cancellationToken) =>
        await db.ListAsync<StillTask>("""
            select (t->>'scene')::int as scene, t->>'taskId' as taskid, t->>'keyId' as keyid
            from card_preview_makings m, jsonb_array_elements(m.still_tasks) t
            where m.id = (select max(id) from card_preview_makings where order_id = @orderId)
            """, new { orderId }, cancellationToken);

    /// <summary>A still's task, written as soon as KIE answers, before anything else.</summary>
    public async Task<bool> RecordStillTaskAsync(Guid orderId, Guid lease, StillTask task, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            update card_preview_makings
            set still_tasks = still_tasks || jsonb_build_array(jsonb_build_object('scene', @Scene, 'taskId', @TaskId, 'keyId', @KeyId))
            where id = (select max(id) from card_preview_makings where order_id = @orderId)
              and exists (select 1 from card_previews where order_id = @orderId and lease_token = @lease and state = 'making')
            """, new { orderId, lease, task.Scene, task.TaskId, task.KeyId }, cancellationToken) == 1;

    /// <summary>What this making's stills cost us by KIE's price list, on the books before they are asked for (once per making).</summary>
    public async Task<bool> RecordStillsCostAsync(Guid orderId, Guid lease, decimal kieCredits, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            update card_preview_makings set kie_credits = greatest(kie_credits, @kieCredits)
            where id = (select max(id) from card_preview_makings where order_id = @orderId)
              and exists (select 1 from card_previews where order_id = @orderId and lease_token = @lease and state = 'making')
            """, new { orderId, lease, kieCredits }, cancellationToken) == 1;

    /// <summary>Sent: the preview is what «🚀 Делаем» charges for now.</summary>
    public async Task<bool> ReadyAsync(Guid orderId, Guid lease, int[] messageIds, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            update card_previews set state = 'ready', message_ids = @messageIds, lease_token = null, locked_until = null, updated_at = now()
            where order_id = @orderId and lease_token = @lease and state = 'making'
            """, new { orderId, lease, messageIds }, cancellationToken) == 1;

    public async Task<bool> FailedAsync(Guid orderId, Guid lease, string error, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            update card_previews set state = 'failed', error = @error, lease_token = null, locked_until = null, updated_at = now()
            where order_id = @orderId and lease_token = @lease and state = 'making'
            """, new { orderId, lease, error }, cancellationToken) == 1;

    private const string Columns =
        "order_id, user_id, chat_id, state, change, redraws, storyboard::text as storyboard, scenes, keyframe_keys, message_ids, voice, updated_at";
}
