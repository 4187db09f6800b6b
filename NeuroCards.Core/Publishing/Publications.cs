using NeuroCards.Core.Data;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Shops;

namespace NeuroCards.Core.Publishing;

/// <summary>
/// The queue of publications: asked for by the bot (or by a catalogue batch when its video is made), claimed by a worker
/// under a lease like a job, moved on only by the holder of that lease. One publication per video, shop and card: asking
/// again returns it (and puts a failed one back in the queue).
/// </summary>
public sealed class Publications(Db db, JobQueue queue)
{
    public const string Channel = "publications_ready";
    private const string Columns = """
        id, user_id, chat_id, language, job_id, shop_id, marketplace, card, batch_id, state, attempts, public_key, public_url,
        remote_task, message_id, error, created_at
        """;

    /// <summary>The seller asks for a video on a card: queued once; a failed one is tried again, a published one stays.</summary>
    public async Task<Publication> RequestAsync(long userId, long chatId, string language, Guid jobId, Shop shop, string card,
        CancellationToken cancellationToken) =>
        await db.SingleOrDefaultAsync<Publication>($"""
            insert into publications (id, user_id, chat_id, language, job_id, shop_id, marketplace, card)
            values (@id, @userId, @chatId, @language, @jobId, @shopId, @marketplace, @card)
            on conflict (job_id, shop_id, card) do update
                set state = 'queued', attempts = 0, not_before = now(), error = null, message_id = null, updated_at = now()
                where publications.state = 'failed'
            returning {Columns};
            select pg_notify('{Channel}', '');
            """, new { id = Guid.CreateVersion7(), userId, chatId, language, jobId, shopId = shop.Id, marketplace = shop.Marketplace, card },
            cancellationToken)
        ?? await GetAsync(jobId, shop.Id, card, cancellationToken)
        ?? throw new InvalidOperationException("the publication is neither new nor there");

    /// <summary>
    /// A catalogue card's video is made: the job completes and its publication is queued in one transaction, so a worker
    /// dying in between leaves neither a finished job without its publication nor a publication of an unfinished job.
    /// </summary>
    public Task<bool> CompleteBatchJobAsync(JobLease lease, CancellationToken cancellationToken) =>
        db.TransactionAsync(async _ =>
        {
            if (!await queue.CompleteAsync(lease, null, cancellationToken)) return false;
            await db.ExecuteAsync($"""
                insert into publications (id, user_id, chat_id, language, job_id, shop_id, marketplace, card, batch_id)
                select @id, b.user_id, b.chat_id, b.language, j.id, b.shop_id, s.marketplace, o.article, b.id
                from jobs j join orders o on o.id = j.order_id join batches b on b.id = o.batch_id join shops s on s.id = b.shop_id
                where j.id = @jobId
                on conflict (job_id, shop_id, card) do nothing;
                select pg_notify('{Channel}', '');
                """, new { id = Guid.CreateVersion7(), jobId = lease.JobId }, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<Publication?> GetAsync(Guid jobId, Guid shopId, string card, CancellationToken cancellationToken) =>
        db.SingleOrDefaultAsync<Publication>($"select {Columns} from publications where job_id = @jobId and shop_id = @shopId and card = @card",
            new { jobId, shopId, card }, cancellationToken);

    /// <summary>The order's delivered videos a card takes as they are (3:4), this seller's only.</summary>
    public Task<List<PublishableVideo>> PublishableAsync(Guid orderId, long userId, CancellationToken cancellationToken) =>
        db.ListAsync<PublishableVideo>("""
            select j.id as job_id, j.index, o.article from jobs j join orders o on o.id = j.order_id
            where o.id = @orderId and o.user_id = @userId and j.status = 'delivered' and j.format = 'card' and j.result_key is not null
            order by j.index
            """, new { orderId, userId }, cancellationToken);

    public Task<PublishableVideo?> PublishableVideoAsync(Guid jobId, long userId, CancellationToken cancellationToken) =>
        db.SingleOrDefaultAsync<PublishableVideo>("""
            select j.id as job_id, j.index, o.article from jobs j join orders o on o.id = j.order_id
            where j.id = @jobId and o.user_id = @userId and j.status = 'delivered' and j.format = 'card' and j.result_key is not null
            """, new { jobId, userId }, cancellationToken);

    /// <summary>One publication due (queued, or sent and due for a status check), leased to the caller.</summary>
    public Task<(Publication Publication, Guid Lease)?> ClaimAsync(TimeSpan lease, CancellationToken cancellationToken) =>
        db.TransactionAsync<(Publication, Guid)?>(async _ =>
        {
            var token = Guid.NewGuid();
            var claimed = await db.SingleOrDefaultAsync<Publication>($"""
                update publications set lease_token = @token, locked_until = now() + make_interval(secs => @seconds), updated_at = now()
                where id = (select id from publications
                            where state in ('queued', 'sent') and not_before <= now() and (locked_until is null or locked_until < now())
                            order by not_before limit 1 for update skip locked)
                returning {Columns}
                """, new { token, seconds = lease.TotalSeconds }, cancellationToken);
            return claimed is null ? null : (claimed, token);
        }, cancellationToken);

    public Task<bool> SetMessageAsync(Guid id, Guid lease, int messageId, CancellationToken cancellationToken) =>
        OwnedAsync("message_id = @messageId", id, lease, new { messageId }, cancellationToken);

    /// <summary>Our public copy, recorded before the marketplace is told its address: a copy is never left unknown to us.</summary>
    public Task<bool> SetPublicCopyAsync(Guid id, Guid lease, string key, string url, CancellationToken cancellationToken) =>
        OwnedAsync("public_key = @key, public_url = @url", id, lease, new { key, url }, cancellationToken);

    /// <summary>The marketplace took the request and is importing it: checked again after <paramref name="checkIn"/>.</summary>
    public Task<bool> SentAsync(Guid id, Guid lease, string? remoteTask, TimeSpan checkIn, CancellationToken cancellationToken) =>
        OwnedAsync("state = 'sent', remote_task = coalesce(@remoteTask, remote_task), not_before = now() + make_interval(secs => @seconds), lease_token = null, locked_until = null",
            id, lease, new { remoteTask, seconds = checkIn.TotalSeconds }, cancellationToken);

    public Task<bool> PublishedAsync(Guid id, Guid lease, CancellationToken cancellationToken) =>
        OwnedAsync("state = 'published', published_at = now(), error = null, lease_token = null, locked_until = null", id, lease, null, cancellationToken);

    public Task<bool> FailedAsync(Guid id, Guid lease, string error, CancellationToken cancellationToken) =>
        OwnedAsync("state = 'failed', error = @error, lease_token = null, locked_until = null", id, lease, new { error }, cancellationToken);

    /// <summary>Back in the queue until <paramref name="notBefore"/> (a 429's wait, a passing failure's back-off).</summary>
    public Task<bool> LaterAsync(Guid id, Guid lease, TimeSpan wait, bool countsAsAttempt, string? error, CancellationToken cancellationToken) =>
        OwnedAsync("""
            not_before = now() + make_interval(secs => @seconds), attempts = attempts + case when @countsAsAttempt then 1 else 0 end,
            error = @error, lease_token = null, locked_until = null
            """, id, lease, new { seconds = wait.TotalSeconds, countsAsAttempt, error }, cancellationToken);

    /// <summary>Public copies of videos whose shop was disconnected: to be deleted from storage, then forgotten.</summary>
    public Task<List<(Guid Id, string PublicKey)>> OrphanedCopiesAsync(CancellationToken cancellationToken) =>
        db.ListAsync<(Guid, string)>("""
            select p.id, p.public_key from publications p join shops s on s.id = p.shop_id
            where p.public_key is not null and s.removed_at is not null limit 100
            """, null, cancellationToken);

    public Task ForgetCopyAsync(Guid id, CancellationToken cancellationToken) =>
        db.ExecuteAsync("update publications set public_key = null, public_url = null, updated_at = now() where id = @id", new { id }, cancellationToken);

    /// <summary>For /stats: publications by marketplace and outcome.</summary>
    public Task<List<(string Marketplace, string State, int Count)>> CountsAsync(CancellationToken cancellationToken) =>
        db.ListAsync<(string, string, int)>(
            "select marketplace, state, count(*)::int from publications group by marketplace, state order by marketplace, state", null, cancellationToken);

    private async Task<bool> OwnedAsync(string set, Guid id, Guid lease, object? args, CancellationToken cancellationToken)
    {
        var parameters = new Dapper.DynamicParameters(args);
        parameters.Add("id", id);
        parameters.Add("lease", lease);
        return await db.ExecuteAsync($"update publications set {set}, updated_at = now() where id = @id and lease_token = @lease", parameters,
            cancellationToken) == 1;
    }
}
