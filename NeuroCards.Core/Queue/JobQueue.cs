using Dapper;
using NeuroCards.Core.Data;
using NeuroCards.Core.Money;

namespace NeuroCards.Core.Queue;

/// <summary>
/// The job queue on the jobs table. A worker claims jobs with a lease (locked_until) and extends it
/// by heartbeat; a job whose lease expired is claimable again. Every write after the claim is
/// conditioned on still holding the lease, so a worker that lost its job cannot touch it.
/// </summary>
public sealed class JobQueue(Db db, Ledger ledger)
{
    /// <summary>Woken on: an order confirmed; and from the jobs trigger (sql/0010_queue_turns.sql): a job back in the queue
    /// and due, or a place freed under a cap that held its user's due work back.</summary>
    public const string ReadyChannel = "jobs_ready";

    /// <summary>
    /// Creates an order's jobs with all of its inputs, inside the caller's transaction (the charge's), and wakes the
    /// claimers when that transaction commits.
    /// </summary>
    public async Task<Guid[]> EnqueueAsync(Guid orderId, int count, string? traceContext,
        CancellationToken cancellationToken)
    {
        var jobIds = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        await db.ExecuteAsync($"""
            insert into jobs (id, order_id, user_id, chat_id, index, photo_key, description, template, wishes, user_prompt, model,
                              language, trace_context, format, captions)
            select ids.id, o.id, o.user_id, o.chat_id, ids.ord - 1, o.photo_key, o.description, o.template, o.wishes, o.user_prompt,
                   o.model, o.language, @traceContext, o.format, coalesce(o.captions, o.template = 'ad')
            from orders o, unnest(@jobIds::uuid[]) with ordinality as ids(id, ord)
            where o.id = @orderId;
            select pg_notify('{ReadyChannel}', '');
            """, new { orderId, jobIds, traceContext }, cancellationToken);
        return jobIds;
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> jobs: due (not_before passed), not leased, at most
    /// <paramref name="perUserCap"/> in flight per user, round-robin across users, oldest first within a user.
    /// Each claimed job gets a new lease token (<see cref="Job.Lease"/>) that every later write must name.
    /// </summary>
    /// <remarks>
    /// One call of <c>claim_jobs</c> (sql/0010_queue_turns.sql, where its steps are explained): its cost follows the
    /// batch, not the backlog, it takes no lock over the whole queue, and each server connection plans it once.
    /// </remarks>
    public async Task<IReadOnlyList<Job>> ClaimAsync(string workerId, int max, TimeSpan lease, int perUserCap,
        CancellationToken cancellationToken = default)
    {
        if (max <= 0) return [];
        return await db.ListAsync<Job>(ClaimSql, new { workerId, lease, perUserCap, max }, cancellationToken);
    }

    /// <summary>The claim as the benchmark calls it too (to show its plan).</summary>
    public const string ClaimSql = "select * from claim_jobs(@workerId, @lease, @perUserCap, @max)";

    /// <summary>
    /// Extends the leases still held; returns the tokens of those that are (a lost one is not in the set). Never waits
    /// on a row lock.
    /// </summary>
    public async Task<IReadOnlySet<Guid>> HeartbeatAsync(IReadOnlyCollection<JobLease> leases, TimeSpan lease,
        CancellationToken cancellationToken = default)
    {
        if (leases.Count == 0) return new HashSet<Guid>();
        // A row someone else holds locked (an update's transaction, an admin's refund) is not waited for: its lease is renewed
        // next time, and the others now. Waiting on one row would let every lease of this worker expire meanwhile.
        var owned = await db.ListAsync<Guid>("""
            with held as (
                select id, lease_token from jobs where id = any(@ids) and lease_token = any(@tokens) and status = 'running'),
            free as (
                select j.id from jobs j join held h on h.id = j.id
                where j.lease_token = h.lease_token and j.status = 'running'
                for update of j skip locked),
            renewed as (
                update jobs set locked_until = now() + @lease from free where jobs.id = free.id returning jobs.id)
            select lease_token from held
            """, new { ids = leases.Select(l => l.JobId).ToArray(), tokens = leases.Select(l => l.Token).ToArray(), lease }, cancellationToken);
        return owned.ToHashSet();
    }

    public async Task<Job?> GetAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        return await db.SingleOrDefaultAsync<Job>(
            "select * from jobs where id = @jobId", new { jobId }, cancellationToken);
    }

    /// <summary>A catalogue card's photo, fetched by the worker: the job and its order name it from now on.</summary>
    public async Task<bool> SetPhotoAsync(JobLease lease, string photoKey, CancellationToken cancellationToken = default) =>
        await db.ExecuteAsync($"""
            with job as (
                update jobs set photo_key = @photoKey, {Progressed}, updated_at = now()
                where id = @jobId and lease_token = @leaseToken and status = 'running' returning order_id)
            update orders set photo_key = @photoKey, updated_at = now() from job where orders.id = job.order_id
            """, new { photoKey, jobId = lease.JobId, leaseToken = lease.Token }, cancellationToken) == 1;

    public Task<bool> SetStageAsync(JobLease lease, JobStage stage, CancellationToken cancellationToken = default) =>
        UpdateOwnedAsync("stage = @stage", lease, new { stage = stage.ToDb() }, cancellationToken);

    /// <summary>The prompt, and the caption lines to burn in (null when the job has none), recorded together.</summary>
    public Task<bool> RecordPromptAsync(JobLease lease, string finalPrompt, IReadOnlyList<string>? captionLines = null,
        CancellationToken cancellationToken = default) =>
        UpdateOwnedAsync($"final_prompt = @finalPrompt, caption_lines = @captionLines, {Progressed}", lease,
            new { finalPrompt, captionLines = captionLines?.ToArray() }, cancellationToken);

    /// <summary>
    /// Counted before the paid call, so a crash during createTask still counts as an attempt. Each attempt gets a
    /// render deadline of its own: a retry made late in the first attempt's time still gets the full time.
    /// </summary>
    public async Task<bool> BeginProviderAttemptAsync(JobLease lease, string provider, string callbackToken, DateTime renderDeadline,
        decimal? kieCredits = null, CancellationToken cancellationToken = default) =>
        await db.ScalarAsync<long>("""
            with owned as (
                update jobs set attempt = attempt + 1, stage = 'render', provider = @provider, provider_callback_token = @callbackToken,
                                render_deadline = @renderDeadline, updated_at = now()
                where id = @JobId and lease_token = @Token and status = 'running'
                returning id, attempt, model),
            paid as (
                insert into kie_tasks (job_id, attempt, model, credits)
                select id, attempt, model, @kieCredits from owned where @kieCredits::numeric is not null
                on conflict (job_id, scene, attempt) do update set model = excluded.model, credits = excluded.credits, outcome = 'sent', task_id = null)
            select count(*) from owned
            """, new { lease.JobId, lease.Token, provider, callbackToken, renderDeadline, kieCredits }, cancellationToken) == 1;

    /// <summary>createTask was never sent (no key, the circuit open): the attempt counted for it is given back.</summary>
    public async Task<bool> UncountProviderAttemptAsync(JobLease lease, CancellationToken cancellationToken = default) =>
        await db.ScalarAsync<long>("""
            with unpaid as (
                delete from kie_tasks
                where job_id = @JobId and scene = 0 and attempt = (select attempt from jobs where id = @JobId and lease_token = @Token) and task_id is null),
            owned as (
                update jobs set attempt = greatest(attempt - 1, 0), provider_callback_token = null, updated_at = now()
                where id = @JobId and lease_token = @Token and status = 'running'
                returning id)
            select count(*) from owned
            """, new { lease.JobId, lease.Token }, cancellationToken) == 1;

    /// <summary>KIE refused createTask (it created nothing, so it charged nothing): the attempt's cost is struck off.</summary>
    public Task<int> RecordProviderRefusedAsync(JobLease lease, CancellationToken cancellationToken = default) =>
        db.ExecuteAsync("""
            update kie_tasks set outcome = 'refused', credits = 0, ended_at = now()
            where job_id = @JobId and scene = 0 and attempt = (select attempt from jobs where id = @JobId and lease_token = @Token) and task_id is null
            """, new { lease.JobId, lease.Token }, cancellationToken);

    /// <summary>
    /// Written before anything else happens after createTask, so any worker can resume polling; the attempt's row in the
    /// cost ledger gets the task id in the same statement.
    /// </summary>
    public async Task<bool> RecordProviderTaskAsync(JobLease lease, string taskId, string keyId, CancellationToken cancellationToken = default) =>
        await db.ScalarAsync<long>($"""
            with owned as (
                update jobs set provider_task_id = @taskId, provider_key_id = @keyId, provider_created_at = now(), provider_state = 'created',
                                {Progressed}, updated_at = now()
                where id = @JobId and lease_token = @Token and status = 'running'
                returning id, attempt),
            paid as (
                update kie_tasks set task_id = @taskId, outcome = 'created'
                where scene = 0 and (job_id, attempt) in (select id, attempt from owned))
            select count(*) from owned
            """, new { lease.JobId, lease.Token, taskId, keyId }, cancellationToken) == 1;

    /// <summary>The state KIE reports; a task that ended is marked so in the cost ledger in the same statement.</summary>
    public async Task<bool> RecordProviderStateAsync(JobLease lease, string state, string? resultUrl, CancellationToken cancellationToken = default) =>
        await db.ScalarAsync<long>($"""
            with owned as (
                update jobs set provider_state = @state, provider_result_url = coalesce(@resultUrl, provider_result_url), {Progressed}, updated_at = now()
                where id = @JobId and lease_token = @Token and status = 'running'
                returning provider_task_id),
            ended as (
                update kie_tasks set outcome = @state, ended_at = now()
                where task_id in (select provider_task_id from owned) and @state in ('success', 'fail') and outcome in ('sent', 'created'))
            select count(*) from owned
            """, new { lease.JobId, lease.Token, state, resultUrl }, cancellationToken) == 1;

    /// <summary>
    /// KIE refused the job's model before any task existed: the job renders with <paramref name="model"/> instead, on the
    /// credits already paid; what the seller ordered is kept for the result's caption.
    /// </summary>
    public Task<bool> SwitchModelAsync(JobLease lease, string model, CancellationToken cancellationToken = default) =>
        UpdateOwnedAsync("ordered_model = coalesce(ordered_model, model), model = @model", lease, new { model }, cancellationToken);

    /// <summary>The video is in storage: from here on the job is never refunded.</summary>
    public Task<bool> RecordResultAsync(JobLease lease, string resultKey, long size, double? duration, int? width, int? height,
        CancellationToken cancellationToken = default) =>
        UpdateOwnedAsync($"""
            result_key = @resultKey, result_size = @size, result_duration = @duration, result_width = @width, result_height = @height,
            succeeded_at = coalesce(succeeded_at, now()), stage = 'deliver', {Progressed}
            """, lease, new { resultKey, size, duration, width, height }, cancellationToken);

    /// <summary>The video reached its place: the chat (its Telegram file id), or, for a catalogue card, the publication queue (no file id).</summary>
    public Task<bool> CompleteAsync(JobLease lease, string? telegramFileId, CancellationToken cancellationToken = default) =>
        UpdateOwnedAsync($"""
            telegram_file_id = @telegramFileId, delivered_at = now(), status = 'delivered', stage = 'done', {ClearLease}
            """, lease, new { telegramFileId }, cancellationToken);

    /// <summary>Delivery failed for good: the video is kept (the user can re-send it), nothing is refunded.</summary>
    public Task<bool> MarkUndeliverableAsync(JobLease lease, string errorText, CancellationToken cancellationToken = default) =>
        UpdateOwnedAsync($"status = 'undeliverable', stage = 'done', error_text = @errorText, {ClearLease}",
            lease, new { errorText }, cancellationToken);

    /// <summary>
    /// Puts the job back with a not-before time; the worker does not sleep holding it. A failure (an error class given)
    /// counts towards the job's failure limit; a delivery failure towards its delivery attempts.
    /// </summary>
    /// <param name="forgetProviderTask">The render task failed: the next attempt creates a new one.</param>
    public Task<bool> RetryLaterAsync(JobLease lease, DateTime notBefore, FailureClass? failure, string? errorText,
        bool countsAsDeliveryAttempt = false, bool forgetProviderTask = false, CancellationToken cancellationToken = default) =>
        UpdateOwnedAsync($"""
            status = 'queued', not_before = @notBefore, error_class = @errorClass, error_text = @errorText,
            {(forgetProviderTask ? "provider_task_id = null, provider_key_id = null, provider_state = null, provider_result_url = null," : "")}
            failure_count = failure_count + case when @errorClass is not null then 1 else 0 end,
            delivery_attempt = delivery_attempt + case when @countsAsDeliveryAttempt then 1 else 0 end, {ClearLease}
            """, lease, new { notBefore, errorClass = failure?.ToDb(), errorText, countsAsDeliveryAttempt }, cancellationToken);

    /// <summary>Graceful shutdown: the job goes back to the queue with every recorded step kept.</summary>
    public Task<bool> ReleaseAsync(JobLease lease, CancellationToken cancellationToken = default) =>
        UpdateOwnedAsync($"status = 'queued', {ClearLease}", lease, new { }, cancellationToken);

    /// <summary>
    /// An admin's /refund: the credit comes back and the job stops in one transaction (a worker still at it finds it no
    /// longer running); refused for a job whose video was made, whatever its delivery.
    /// </summary>
    public async Task<RefundResult> RefundByAdminAsync(Guid jobId, long adminId, CancellationToken cancellationToken = default)
    {
        return await db.TransactionAsync(async _ =>
        {
            await LockUserOfJobAsync(jobId, cancellationToken);
            var refund = await ledger.RefundJobAsync(jobId, $"admin {adminId}", cancellationToken);
            if (refund == RefundResult.Refunded)
            {
                await db.ExecuteAsync($"""
                    update jobs set status = 'failed', stage = 'failed', error_class = coalesce(error_class, 'unknown'), error_text = 'refunded by an admin',
                                    failed_at = now(), {ClearLease}, updated_at = now()
                    where id = @jobId and status in ('queued', 'running') and succeeded_at is null
                    """, new { jobId }, cancellationToken);
            }
            return refund;
        }, cancellationToken);
    }

    /// <summary>Fails the job and gives its credits back in the same transaction (never for a job whose video exists).</summary>
    public async Task<(bool Owned, RefundResult Refund)> FailAsync(JobLease lease, FailureClass failure, string errorText,
        CancellationToken cancellationToken = default)
    {
        return await db.TransactionAsync(async _ =>
        {
            var errorClass = failure.ToDb();
            await LockUserOfJobAsync(lease.JobId, cancellationToken);
            var owned = await db.ExecuteAsync($"""
                update jobs set status = 'failed', stage = 'failed', error_class = @errorClass, error_text = @errorText, failed_at = now(),
                                {ClearLease}, updated_at = now()
                where id = @JobId and lease_token = @Token and status = 'running' and succeeded_at is null
                """, new { lease.JobId, lease.Token, errorClass, errorText }, cancellationToken) == 1;
            if (!owned)
            {
                return (false, RefundResult.NotFound);
            }
            var refund = await ledger.RefundJobAsync(lease.JobId, errorClass, cancellationToken);
            return (true, refund);
        }, cancellationToken);
    }

    /// <summary>
    /// The one lock order of money and queue: the user's row, then the job's, then the user's queue row (the jobs trigger).
    /// "🚀 Start" charges the user and then inserts jobs; a failure or a refund that locked the job and its queue row first
    /// and the user's row last would deadlock against it.
    /// </summary>
    private Task<int> LockUserOfJobAsync(Guid jobId, CancellationToken cancellationToken) =>
        db.ExecuteAsync(
            "select 1 from users u where u.id = (select user_id from jobs where id = @jobId) for update of u",
            new { jobId }, cancellationToken);

    public const string CallbackChannel = "provider_callback";

    /// <summary>Whether a job still waiting for its render was given this callback token.</summary>
    public async Task<bool> ExpectsCallbackAsync(string callbackToken, CancellationToken cancellationToken = default)
    {
        return await db.ScalarAsync<bool>("""
            select exists (select 1 from jobs where provider_callback_token = @callbackToken and status in ('queued', 'running') and result_key is null)
            """, new { callbackToken }, cancellationToken);
    }

    /// <summary>
    /// Records what a provider callback said about a job's task, whoever holds the job, and wakes the
    /// worker polling it. Returns the job id, or null when the token or task id do not match a job.
    /// A callback is only a hint: the worker still fetches the task's status itself.
    /// </summary>
    public Task<Guid?> RecordCallbackAsync(string callbackToken, string taskId, string? state, CancellationToken cancellationToken = default) =>
        db.ScalarAsync<Guid?>($"""
            with hit as (
                update jobs set provider_state = coalesce(@state, provider_state), not_before = least(not_before, now()), updated_at = now()
                where provider_callback_token = @callbackToken and provider_task_id = @taskId
                  and status in ('queued', 'running') and result_key is null
                returning id)
            select id, pg_notify('{CallbackChannel}', id::text), pg_notify('{ReadyChannel}', '') from hit
            """, new { callbackToken, taskId, state }, cancellationToken);

    /// <summary>Whether an earlier video of the same order (a lower index) is still queued or running.</summary>
    public async Task<bool> HasEarlierUnfinishedAsync(Guid orderId, int index, CancellationToken cancellationToken = default)
    {
        return await db.ScalarAsync<bool>(
            "select exists (select 1 from jobs where order_id = @orderId and index < @index and status in ('queued', 'running'))",
            new { orderId, index }, cancellationToken);
    }

    public async Task<int> CountInOrderAsync(Guid orderId, CancellationToken cancellationToken = default)
    {
        return await db.ScalarAsync<int>(
            "select count(*)::int from jobs where order_id = @orderId", new { orderId }, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.ListAsync<(string Status, int Count)>(
            "select status, count(*)::int from jobs group by status", null, cancellationToken);
        return rows.ToDictionary(r => r.Status, r => r.Count);
    }

    private const string ClearLease = "lease_owner = null, lease_token = null, locked_until = null";

    // A recorded step is progress: takeovers count lost leases since the job last moved on, so a job whose workers
    // died around it while it advanced is not mistaken for one that kills them.
    private const string Progressed = "takeovers = 0";

    // Leaving 'running' wakes claimers from the jobs trigger when it matters (sql/0010_queue_turns.sql): a job back in the
    // queue and due, or a place freed under a cap that held its user's due work back.
    private async Task<bool> UpdateOwnedAsync(string set, JobLease lease, object values, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(values);
        parameters.Add("jobId", lease.JobId);
        parameters.Add("leaseToken", lease.Token);
        var sql = $"update jobs set {set}, updated_at = now() where id = @jobId and lease_token = @leaseToken and status = 'running'";
        return await db.ExecuteAsync(sql, parameters, cancellationToken) == 1;
    }
}
