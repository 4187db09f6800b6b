using NeuroCards.Core.Data;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Marketplaces.Wildberries;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Shops;

namespace NeuroCards.Core.Publishing;

/// <summary>
/// Catalogue batches. A draft holds one draft order per card; «🚀» charges every card in one transaction (one ledger
/// charge per order, as for any order), queues one job per order and starts the batch. The queue's per-user cap and turns
/// keep other sellers moving meanwhile. Pause holds the cards not yet started; cancel refunds them at once.
/// </summary>
public sealed class Batches(Db db)
{
    /// <summary>What a card's job says when the seller cancelled its batch before it started.</summary>
    public const string CancelledText = "cancelled by the seller";

    private const string Columns = "id, user_id, chat_id, shop_id, language, template, model, price, state, total, found, message_id, message_text";

    public async Task<Batch> DraftAsync(long userId, long chatId, string language, Shop shop, IReadOnlyList<WildberriesSellerCard> cards,
        int found, VideoTemplate template, string model, int price, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var orderIds = cards.Select(_ => Guid.CreateVersion7()).ToArray();
        return await db.TransactionAsync(async _ =>
        {
            var batch = await db.SingleAsync<Batch>($"""
                insert into batches (id, user_id, chat_id, shop_id, language, template, model, price, format, total, found)
                values (@id, @userId, @chatId, @shopId, @language, @template, @model, @price, @format, @total, @found)
                returning {Columns}
                """, new
            {
                id,
                userId,
                chatId,
                shopId = shop.Id,
                language,
                template = template.ToDb(),
                model,
                price,
                format = VideoFormat.Card.ToDb(),
                total = cards.Count,
                found
            }, cancellationToken);
            await db.ExecuteAsync("""
                insert into orders (id, user_id, chat_id, language, description, template, model, count, format, article, batch_id)
                select c.id, @userId, @chatId, @language, c.description, @template, @model, 1, @format, c.article, @id
                from unnest(@orderIds::uuid[], @articles::text[], @descriptions::text[]) as c(id, article, description)
                """, new
            {
                id,
                userId,
                chatId,
                language,
                template = template.ToDb(),
                model,
                format = VideoFormat.Card.ToDb(),
                orderIds,
                articles = cards.Select(c => c.NmId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                descriptions = cards.Select(c => c.AsCard().OrderDescription()).ToArray()
            }, cancellationToken);
            return batch;
        }, cancellationToken);
    }

    public Task<Batch?> GetAsync(Guid id, long userId, CancellationToken cancellationToken) =>
        db.SingleOrDefaultAsync<Batch>($"select {Columns} from batches where id = @id and user_id = @userId", new { id, userId }, cancellationToken);

    public async Task<bool> SetTemplateAsync(Guid id, long userId, VideoTemplate template, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            update batches set template = @template, updated_at = now() where id = @id and user_id = @userId and state = 'draft';
            update orders set template = @template, updated_at = now() where batch_id = @id and user_id = @userId and status = 'draft';
            """, new { id, userId, template = template.ToDb() }, cancellationToken) > 0;

    /// <summary>Charges every card and queues its job, all or nothing; the screen it was started from becomes its progress message.</summary>
    public Task<BatchConfirmation> ConfirmAsync(Guid id, long userId, int messageId, CancellationToken cancellationToken) =>
        db.TransactionAsync<BatchConfirmation>(async _ =>
        {
            var batch = await db.SingleOrDefaultAsync<Batch>($"select {Columns} from batches where id = @id and user_id = @userId for update",
                new { id, userId }, cancellationToken);
            if (batch is not { State: "draft" }) return new BatchConfirmation.NotDraft();
            var balance = await db.ScalarAsync<int?>("""
                update users set balance = balance - @cost, updated_at = now() where id = @userId and balance >= @cost returning balance
                """, new { cost = batch.Cost, userId }, cancellationToken);
            if (balance is null)
                return new BatchConfirmation.BalanceShort(batch.Cost, await db.ScalarAsync<int>("select balance from users where id = @userId", new { userId }, cancellationToken));
            var orders = await db.ListAsync<Guid>("select id from orders where batch_id = @id and status = 'draft' order by id", new { id }, cancellationToken);
            var jobIds = orders.Select(_ => Guid.CreateVersion7()).ToArray();
            await db.ExecuteAsync($"""
                insert into ledger (user_id, kind, amount, order_id, reason)
                select @userId, 'charge', -@price, o, 'batch' from unnest(@orders::uuid[]) o;
                update orders set status = 'confirmed', confirmed_at = now(), updated_at = now(), price_per_video = @price, total_cost = @price
                where batch_id = @id and status = 'draft';
                insert into jobs (id, order_id, user_id, chat_id, index, photo_key, description, template, model, language, format, captions, in_batch)
                select j.id, o.id, o.user_id, o.chat_id, 0, '', o.description, o.template, o.model, o.language, o.format, o.template = 'ad', true
                from unnest(@orders::uuid[], @jobIds::uuid[]) as j(order_id, id) join orders o on o.id = j.order_id;
                update batches set state = 'running', message_id = @messageId, updated_at = now() where id = @id;
                select pg_notify('{JobQueue.ReadyChannel}', '');
                """, new { id, userId, price = batch.Price, orders = orders.ToArray(), jobIds, messageId }, cancellationToken);
            return new BatchConfirmation.Started(batch.Cost, balance.Value);
        }, cancellationToken);

    /// <summary>Holds the cards not started yet (their jobs wait); started ones finish and are published.</summary>
    public async Task<bool> PauseAsync(Guid id, long userId, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            with paused as (update batches set state = 'paused', updated_at = now() where id = @id and user_id = @userId and state = 'running' returning id)
            update jobs j set not_before = 'infinity', updated_at = now()
            from orders o, paused p where o.batch_id = p.id and j.order_id = o.id and j.status = 'queued' and j.stage = 'queued'
            """, new { id, userId }, cancellationToken) >= 0
        && await StateIsAsync(id, "paused", cancellationToken);

    public async Task<bool> ResumeAsync(Guid id, long userId, CancellationToken cancellationToken) =>
        await db.ExecuteAsync($"""
            with resumed as (update batches set state = 'running', updated_at = now() where id = @id and user_id = @userId and state = 'paused' returning id)
            update jobs j set not_before = now(), updated_at = now()
            from orders o, resumed r where o.batch_id = r.id and j.order_id = o.id and j.status = 'queued' and j.stage = 'queued';
            select pg_notify('{JobQueue.ReadyChannel}', '');
            """, new { id, userId }, cancellationToken) >= 0
        && await StateIsAsync(id, "running", cancellationToken);

    /// <summary>Cancels the batch: every card not started is refunded now, in this transaction; the new balance, or null.</summary>
    public Task<(int Refunded, int Balance)?> CancelAsync(Guid id, long userId, CancellationToken cancellationToken) =>
        db.TransactionAsync<(int, int)?>(async _ =>
        {
            if (await db.ExecuteAsync("""
                    update batches set state = 'cancelled', updated_at = now() where id = @id and user_id = @userId and state in ('running', 'paused')
                    """, new { id, userId }, cancellationToken) == 0) return null;
            var refunded = await db.ScalarAsync<int>("""
                with cancelled as (
                    update jobs j set status = 'failed', stage = 'failed', error_text = @cancelled, failed_at = now(),
                                      not_before = now(), updated_at = now()
                    from orders o where o.batch_id = @id and j.order_id = o.id and j.status = 'queued' and j.stage = 'queued'
                    returning j.id, j.order_id, o.price_per_video),
                refunds as (
                    insert into ledger (user_id, kind, amount, order_id, job_id, reason)
                    select @userId, 'refund', c.price_per_video, c.order_id, c.id, 'batch cancelled' from cancelled c
                    on conflict (job_id) where kind = 'refund' do nothing
                    returning amount)
                select coalesce(sum(amount), 0)::int from refunds
                """, new { id, userId, cancelled = CancelledText }, cancellationToken);
            var balance = await db.ScalarAsync<int>(
                "update users set balance = balance + @refunded, updated_at = now() where id = @userId returning balance",
                new { refunded, userId }, cancellationToken);
            return (refunded, balance);
        }, cancellationToken);

    private async Task<bool> StateIsAsync(Guid id, string state, CancellationToken cancellationToken) =>
        await db.ScalarAsync<string>("select state from batches where id = @id", new { id }, cancellationToken) == state;

    /// <summary>The seller's started batches, newest first: the Mini App's order list.</summary>
    public Task<List<Batch>> RecentAsync(long userId, int limit, CancellationToken cancellationToken) =>
        db.ListAsync<Batch>($"select {Columns} from batches where user_id = @userId and state <> 'draft' order by created_at desc limit @limit",
            new { userId, limit }, cancellationToken);

    /// <summary>Started batches whose progress message may need an edit.</summary>
    public Task<List<Batch>> ActiveAsync(CancellationToken cancellationToken) =>
        db.ListAsync<Batch>($"select {Columns} from batches where state <> 'draft' and finished_at is null and message_id is not null", null,
            cancellationToken);

    public Task<BatchProgress> ProgressAsync(Guid id, CancellationToken cancellationToken) =>
        db.SingleAsync<BatchProgress>("""
            select count(*)::int as total,
                   count(*) filter (where j.status = 'delivered')::int as made,
                   count(*) filter (where p.state = 'published')::int as published,
                   count(*) filter (where (j.status in ('failed', 'undeliverable') and j.error_text is distinct from @cancelled) or p.state = 'failed')::int as failed,
                   count(*) filter (where j.status = 'failed' and j.error_text = @cancelled)::int as cancelled,
                   count(*) filter (where j.status in ('queued', 'running') or (j.status = 'delivered' and (p.state is null or p.state in ('queued', 'sent'))))::int as active
            from orders o join jobs j on j.order_id = o.id
            left join publications p on p.job_id = j.id and p.batch_id = o.batch_id
            where o.batch_id = @id
            """, new { id, cancelled = CancelledText }, cancellationToken);

    public Task<List<CardFailure>> FailuresAsync(Guid id, long userId, CancellationToken cancellationToken) =>
        db.ListAsync<CardFailure>("""
            select o.article, j.error_class, p.error as publication_error
            from orders o join jobs j on j.order_id = o.id
            left join publications p on p.job_id = j.id and p.batch_id = o.batch_id
            where o.batch_id = @id and o.user_id = @userId
              and ((j.status in ('failed', 'undeliverable') and j.error_text is distinct from @cancelled) or p.state = 'failed')
            order by o.article limit 50
            """, new { id, userId, cancelled = CancelledText }, cancellationToken);

    /// <summary>Records what the progress message now says; the batch is done when nothing is on its way.</summary>
    public Task<bool> ShownAsync(Guid id, string text, bool finished, CancellationToken cancellationToken) =>
        db.ScalarAsync<bool>("""
            update batches set message_text = @text, message_at = now(), updated_at = now(),
                               state = case when @finished and state = 'running' then 'done' else state end,
                               finished_at = case when @finished then now() end
            where id = @id and (message_text is distinct from @text or @finished) returning true
            """, new { id, text, finished }, cancellationToken);
}
