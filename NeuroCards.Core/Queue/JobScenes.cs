using NeuroCards.Core.Data;

namespace NeuroCards.Core.Queue;

/// <summary>
/// The scenes of a card job, each with its own paid task. Every write names the job's lease, like the queue's: a worker
/// that lost the job writes nothing. A scene's task is on the books (kie_tasks, by scene) before it is sent.
/// </summary>
public sealed class JobScenes(Db db)
{
    private const string Owned = "owned as (select id from jobs where id = @JobId and lease_token = @Token and status = 'running')";

    public Task<List<JobScene>> ListAsync(Guid jobId, CancellationToken cancellationToken) =>
        db.ListAsync<JobScene>("select * from job_scenes where job_id = @jobId order by scene", new { jobId }, cancellationToken);

    /// <summary>The scene's next attempt, counted (and its price-list cost recorded) before createTask is sent.</summary>
    public async Task<bool> BeginAsync(JobLease lease, int scene, string model, decimal? kieCredits, CancellationToken cancellationToken) =>
        await db.ScalarAsync<long>($"""
            with {Owned},
            counted as (
                insert into job_scenes (job_id, scene, attempt)
                select id, @scene, 1 from owned
                on conflict (job_id, scene) do update set attempt = job_scenes.attempt + 1, provider_task_id = null, provider_key_id = null,
                    provider_state = null, provider_result_url = null, updated_at = now()
                returning job_id, attempt),
            paid as (
                insert into kie_tasks (job_id, scene, attempt, model, credits)
                select job_id, @scene, attempt, @model, @kieCredits from counted where @kieCredits::numeric is not null)
            select count(*) from counted
            """, new { lease.JobId, lease.Token, scene, model, kieCredits }, cancellationToken) == 1;

    /// <summary>createTask was never sent: the attempt is given back and nothing is on the books.</summary>
    public Task<int> UncountAsync(JobLease lease, int scene, CancellationToken cancellationToken) =>
        db.ExecuteAsync($"""
            with {Owned},
            unpaid as (
                delete from kie_tasks k using job_scenes s
                where s.job_id in (select id from owned) and s.scene = @scene and k.job_id = s.job_id and k.scene = s.scene
                  and k.attempt = s.attempt and k.task_id is null)
            update job_scenes set attempt = greatest(attempt - 1, 0), updated_at = now()
            where job_id in (select id from owned) and scene = @scene
            """, new { lease.JobId, lease.Token, scene }, cancellationToken);

    /// <summary>KIE refused createTask: it created nothing and charged nothing.</summary>
    public Task<int> RefusedAsync(JobLease lease, int scene, CancellationToken cancellationToken) =>
        db.ExecuteAsync($"""
            with {Owned}
            update kie_tasks k set outcome = 'refused', credits = 0, ended_at = now()
            from job_scenes s
            where s.job_id in (select id from owned) and s.scene = @scene and k.job_id = s.job_id and k.scene = s.scene
              and k.attempt = s.attempt and k.task_id is null
            """, new { lease.JobId, lease.Token, scene }, cancellationToken);

    /// <summary>The task's id, written before anything else after createTask answers: any worker can then wait for it.</summary>
    public async Task<bool> RecordTaskAsync(JobLease lease, int scene, string taskId, string keyId, CancellationToken cancellationToken) =>
        await db.ScalarAsync<long>($"""
            with {Owned},
            recorded as (
                update job_scenes set provider_task_id = @taskId, provider_key_id = @keyId, provider_state = 'created', updated_at = now()
                where job_id in (select id from owned) and scene = @scene
                returning job_id, attempt),
            paid as (
                update kie_tasks set task_id = @taskId, outcome = 'created'
                where (job_id, scene, attempt) in (select job_id, @scene, attempt from recorded))
            select count(*) from recorded
            """, new { lease.JobId, lease.Token, scene, taskId, keyId }, cancellationToken) == 1;

    /// <summary>
    /// The task's end: success keeps its result URL; a failure forgets the task in the same write, so the next run pays
    /// for a new one for this scene only.
    /// </summary>
    public async Task<bool> RecordEndAsync(JobLease lease, int scene, bool success, string? resultUrl, CancellationToken cancellationToken) =>
        await db.ScalarAsync<long>($"""
            with {Owned},
            ended as (
                update kie_tasks set outcome = case when @success then 'success' else 'fail' end, ended_at = now()
                where job_id in (select id from owned) and scene = @scene
                  and task_id = (select provider_task_id from job_scenes where job_id = @JobId and scene = @scene) and outcome in ('sent', 'created')),
            recorded as (
                update job_scenes set provider_state = case when @success then 'success' else 'fail' end,
                    provider_result_url = @resultUrl, provider_task_id = case when @success then provider_task_id end, updated_at = now()
                where job_id in (select id from owned) and scene = @scene
                returning 1)
            select count(*) from recorded
            """, new { lease.JobId, lease.Token, scene, success, resultUrl }, cancellationToken) == 1;

    public async Task<bool> RecordClipAsync(JobLease lease, int scene, string clipKey, CancellationToken cancellationToken) =>
        await db.ExecuteAsync($"""
            with {Owned}
            update job_scenes set clip_key = @clipKey, updated_at = now() where job_id in (select id from owned) and scene = @scene
            """, new { lease.JobId, lease.Token, scene, clipKey }, cancellationToken) == 1;
}
