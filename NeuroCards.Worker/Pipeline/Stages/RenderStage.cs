using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Data;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Storage;
using NeuroCards.Worker.Alerts;
using NeuroCards.Worker.Cards;
using NeuroCards.Worker.Generation;
using NeuroCards.Worker.Progress;

using NeuroCards.Worker.Prompting;

namespace NeuroCards.Worker.Pipeline.Stages;

/// <summary>
/// Creates the provider task (once per attempt, its id recorded before anything else) and waits for its end: woken by
/// the provider's callback, polling as the fallback, until the attempt's own deadline. Creating is paid and runs to its
/// end even when the worker is stopping; waiting is not, so a stopping worker hands the job back while it waits.
/// </summary>
public sealed class RenderStage(
    JobQueue queue,
    QueueSignals signals,
    IVideoProvider provider,
    ModelCatalog catalog,
    OperatorAlerts alerts,
    IOptions<GenerationOptions> generation,
    IMediaStore store,
    OrderProgress progress,
    IOptions<KieOptions> kieOptions,
    TimeProvider time,
    JobMetrics metrics,
    CardRender cards,
    ILogger<RenderStage> logger) : IStage
{
    private readonly KieOptions _kie = kieOptions.Value;

    public JobStage Name => JobStage.Render;

    // The wait ends at the attempt's deadline by itself; this only bounds a provider call that hangs past it.
    public TimeSpan Timeout => TimeSpan.FromMinutes(_kie.DeadlineMinutes + 10);

    public bool IsDone(Job job) => job.ResultKey is not null || (job.ProviderState == "success" && job.ProviderResultUrl is not null);

    public async Task<StageResult> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var job = run.Job;
        // A card video is several paid clips, one per scene, each recorded on its own.
        if (job.Template == VideoTemplate.Card) return await cards.RunAsync(run, cancellationToken);
        if (job.ProviderTaskId is null)
        {
            // Each round either creates the task or moves the job to the next model of the chain (bounded: a chain that
            // keeps refusing ends in a refund).
            for (var round = 0; ; round++)
            {
                var created = await CreateAsync(run, cancellationToken);
                if (created is not (null or StageResult.Next)) return created;
                job = run.Job = await queue.GetAsync(job.Id, cancellationToken) ?? throw new LeaseLostException(run.Lease);
                if (created is StageResult.Next) break;
                if (round >= MaxModelMoves) return new StageResult.Failed(FailureClass.ModelUnavailable, "every model refused the job", Final: true);
            }
        }
        return await WaitAsync(run, job.ProviderTaskId!, job.ProviderKeyId!, cancellationToken);
    }

    private const int MaxModelMoves = 5;

    /// <summary>
    /// The job's model cannot take it (KIE refused it, an admin turned it off, or it is gone from the catalogue): the job
    /// moves to the next model on the credits already paid. Null: moved, create again; a result: no model left.
    /// </summary>
    private async Task<StageResult?> MoveToNextModelAsync(JobRun run, string reason, bool refusedByKie, CancellationToken cancellationToken)
    {
        var job = run.Job;
        if (refusedByKie && await catalog.RetireAsync(job.Model, reason, cancellationToken))
        {
            await alerts.SendAsync("worker.alert.model_retired", cancellationToken, ("model", job.Model), ("reason", reason));
        }
        var next = await catalog.NextAsync(job.Model, cancellationToken);
        if (next is null) return new StageResult.Failed(FailureClass.ModelUnavailable, $"no model can take the job ({reason})", Final: true);
        if (!await queue.SwitchModelAsync(run.Lease, next.Name, cancellationToken)) throw new LeaseLostException(run.Lease);
        logger.LogWarning("Job {JobId} moves from model {From} to {To}: {Reason}", job.Id, job.Model, next.Name, reason);
        return null;
    }

    private async Task<StageResult?> CreateAsync(JobRun run, CancellationToken cancellationToken)
    {
        var job = run.Job;
        if (job.Attempt >= _kie.MaxAttempts)
        {
            return new StageResult.Failed(job.Failure ?? FailureClass.ProviderFailure, "attempts exhausted: " + job.ErrorText, Final: true);
        }
        // Ordered before the model was retired or turned off (or under a name this release no longer has).
        if (await catalog.FindOfferedAsync(job.Model, cancellationToken) is null)
        {
            return await MoveToNextModelAsync(run, $"model '{job.Model}' is not offered any more", refusedByKie: false, cancellationToken);
        }
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var deadline = time.GetUtcNow().UtcDateTime.AddMinutes(_kie.DeadlineMinutes);
        // The paid call is on the books before it is sent: a worker killed before KIE's answer is recorded still leaves its cost.
        if (!await queue.BeginProviderAttemptAsync(run.Lease, provider.Name, token, deadline, KieCreditsOf(job.Model), cancellationToken))
            throw new LeaseLostException(run.Lease);

        var photoUrl = await store.GetSignedUrlAsync(job.PhotoKey, TimeSpan.FromHours(3), cancellationToken);
        var callback = provider.SupportsCallbacks && !string.IsNullOrWhiteSpace(_kie.CallbackBaseUrl)
            ? new Uri($"{_kie.CallbackBaseUrl!.TrimEnd('/')}/callbacks/kie?token={token}")
            : null;
        var request = new RenderRequest(job.Id, job.Model, job.FinalPrompt!, photoUrl, job.PhotoKey, callback, job.Index,
            job.Format.ToDb(), job.CaptionLines ?? CaptionWriter.Compose([], job.Description));

        CreateResult created;
        using (StageRunner.Activity.StartActivity("create render task"))
        {
            created = await provider.CreateAsync(request, cancellationToken);
        }
        switch (created)
        {
            case CreateResult.Created c:
                // Recorded before anything else: from here any worker can resume polling this task.
                if (!await queue.RecordProviderTaskAsync(run.Lease, c.TaskId, c.KeyId, cancellationToken))
                {
                    logger.LogError("Lost the lease on job {JobId} right after creating task {TaskId}", job.Id, c.TaskId);
                    throw new LeaseLostException(run.Lease);
                }
                logger.LogInformation("Render task {TaskId} created for job {JobId} (attempt {Attempt})", c.TaskId, job.Id, job.Attempt + 1);
                return StageResult.Continue;
            case CreateResult.Failed { FailureClass: FailureClass.ModelUnavailable } refused:
                // No task exists: the attempt is given back, and the seller pays nothing more for the next model.
                await queue.UncountProviderAttemptAsync(run.Lease, cancellationToken);
                return await MoveToNextModelAsync(run, refused.Reason, refusedByKie: provider.Name == KieClient.ProviderName, cancellationToken);
            case CreateResult.Failed f:
                // KIE refused it: no task, no charge.
                await queue.RecordProviderRefusedAsync(run.Lease, cancellationToken);
                return new StageResult.Failed(f.FailureClass, f.Reason);
            case CreateResult.NotSent n:
                // No task was created: the attempt counted before the call is given back.
                await queue.UncountProviderAttemptAsync(run.Lease, cancellationToken);
                return new StageResult.Failed(n.FailureClass, n.Reason);
            case CreateResult.Unknown u:
                // Maybe created, maybe not; with no id to look for it counts as an attempt and we try later.
                logger.LogWarning("createTask outcome unknown for job {JobId}: {Reason}", job.Id, u.Reason);
                return new StageResult.Failed(FailureClass.Temporary, u.Reason);
            default:
                throw new InvalidOperationException("unknown create result " + created.GetType().Name);
        }
    }

    /// <summary>What the task costs by KIE's price list; null for the offline renderer, which costs nothing.</summary>
    private decimal? KieCreditsOf(string model) => provider.Name != KieClient.ProviderName ? null : generation.Value.KieCreditsOf(model);

    private async Task<StageResult> WaitAsync(JobRun run, string taskId, string keyId, CancellationToken cancellationToken)
    {
        var job = run.Job;
        string? lastState = null;
        var failures = 0;
        using var _ = StageRunner.Activity.StartActivity("wait for render");
        while (true)
        {
            // Read each round: an admin may have refunded the job, or an operator moved its deadline.
            var current = await queue.GetAsync(job.Id, cancellationToken);
            if (current is null || current.Status != JobStatus.Running || current.LeaseToken != run.Lease.Token) throw new LeaseLostException(run.Lease);
            lastState ??= current.ProviderState;
            var deadline = current.RenderDeadline ?? time.GetUtcNow().UtcDateTime.AddMinutes(_kie.DeadlineMinutes);
            var pastDeadline = time.GetUtcNow().UtcDateTime > deadline;
            var status = await provider.GetStatusAsync(taskId, keyId, job.Model, cancellationToken);
            switch (status)
            {
                case RenderStatus.Succeeded s:
                    if (!await queue.RecordProviderStateAsync(run.Lease, "success", s.ResultUrl.ToString(), cancellationToken)) throw new LeaseLostException(run.Lease);
                    if (current.ProviderCreatedAt is { } created) metrics.Rendered(time.GetUtcNow().UtcDateTime - created);
                    return StageResult.Continue;
                case RenderStatus.Failed f:
                    logger.LogWarning("Render task {TaskId} of job {JobId} failed: {FailureClass} {Reason}", taskId, job.Id, f.FailureClass, f.Reason);
                    // The task is kept until the failure is recorded (the retry forgets it in the same write): a worker that
                    // takes the job over meanwhile asks KIE about this task again instead of paying for a new one.
                    await queue.RecordProviderStateAsync(run.Lease, "fail", null, cancellationToken);
                    return new StageResult.Failed(f.FailureClass, f.Reason);
                case RenderStatus.Pending p when p.State != lastState:
                    lastState = p.State;
                    await queue.RecordProviderStateAsync(run.Lease, p.State, null, cancellationToken);
                    failures = 0;
                    break;
                case RenderStatus.Unavailable u:
                    failures++;
                    logger.LogInformation("Status of task {TaskId} unavailable ({Reason}); asking again", taskId, u.Reason);
                    break;
            }
            if (pastDeadline)
            {
                // That was the last check after the deadline.
                return new StageResult.Failed(FailureClass.Timeout, $"no result within {_kie.DeadlineMinutes} min", Final: true);
            }
            // The status message shows how long the render has been going.
            await progress.UpdateAsync(job.OrderId, cancellationToken);
            var wait = Backoff.Exponential(failures + 1, TimeSpan.FromSeconds(_kie.PollSeconds), TimeSpan.FromSeconds(_kie.PollSeconds * 16));
            var untilDeadline = deadline - time.GetUtcNow().UtcDateTime;
            if (untilDeadline < wait) wait = untilDeadline > TimeSpan.Zero ? untilDeadline : TimeSpan.FromMilliseconds(1);
            if (run.Stopping.IsCancellationRequested) return StageResult.HandedBack;
            using var waitOrStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, run.Stopping);
            try
            {
                await signals.WaitForCallbackAsync(job.Id, wait, waitOrStop.Token);
            }
            catch (OperationCanceledException) when (run.Stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The task id is recorded: the next worker resumes waiting for the same (paid) task.
                return StageResult.HandedBack;
            }
        }
    }
}
