using System.Diagnostics;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Queue;
using NeuroCards.Worker.Progress;

namespace NeuroCards.Worker.Pipeline;

/// <summary>
/// Carries a claimed job through its stages (prompt → render → store → deliver), starting at the first one not yet
/// recorded on the job. It records the stage, updates the order's progress once per stage, gives each stage a time
/// limit and every exception a class, and hands failures to the one <see cref="FailurePolicy"/>. A stopping worker
/// hands the job back between stages (and while a render is only being waited for).
/// </summary>
public sealed class StageRunner(
    IEnumerable<IStage> stages,
    JobQueue queue,
    FailurePolicy policy,
    OrderProgress progress,
    IOptions<WorkerOptions> options,
    ILogger<StageRunner> logger) : IJobProcessor
{
    public static readonly ActivitySource Activity = new("NeuroCards.Worker");
    private readonly IStage[] _stages = stages.ToArray();

    public async Task ProcessAsync(Job job, CancellationToken stopping, CancellationToken cancellationToken)
    {
        // One trace from the button press through the queue to delivery.
        ActivityContext.TryParse(job.TraceContext, null, out var parent);
        using var activity = Activity.StartActivity("process job", ActivityKind.Consumer, parent);
        activity?.SetTag("neurocards.job_id", job.Id);
        activity?.SetTag("neurocards.order_id", job.OrderId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.Id, ["OrderId"] = job.OrderId });

        var run = new JobRun(job, stopping);
        // A job with its video stored only waits for an upload, which runs out of process risk: the workers that died
        // around it almost surely died of something else, so it gets more room before it is given up as undeliverable.
        var maxTakeovers = job.ResultKey is null ? options.Value.MaxTakeovers : 3 * options.Value.MaxTakeovers;
        var (stage, outcome) = job.Takeovers > maxTakeovers
            // Its workers died or hung holding it again and again: it ends instead of taking down the next one.
            ? (job.Stage, new StageResult.Failed(FailureClass.Unknown, $"taken over {job.Takeovers} times after lost leases", Final: true))
            : await RunStagesAsync(run, cancellationToken);

        switch (outcome)
        {
            case StageResult.Later later:
                await queue.RetryLaterAsync(run.Lease, later.NotBefore, null, null, cancellationToken: cancellationToken);
                break;
            case StageResult.Released:
                await queue.ReleaseAsync(run.Lease, cancellationToken);
                logger.LogInformation("Job {JobId} handed back at {Stage}: the worker is stopping", job.Id, stage);
                break;
            case StageResult.Failed failed:
                await policy.ApplyAsync(run, stage, failed, cancellationToken);
                break;
        }
        // The job has left this worker's hands, so the heartbeat may cancel its token any moment now; telling the user
        // (and sending the order's closing message) must not be cut off by that.
        using var tell = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await progress.UpdateAsync(job.OrderId, tell.Token);
    }

    private async Task<(JobStage Stage, StageResult Outcome)> RunStagesAsync(JobRun run, CancellationToken cancellationToken)
    {
        foreach (var stage in _stages)
        {
            if (stage.IsDone(run.Job)) continue;
            if (run.Stopping.IsCancellationRequested) return (stage.Name, StageResult.HandedBack);
            if (!await queue.SetStageAsync(run.Lease, stage.Name, cancellationToken)) throw new LeaseLostException(run.Lease);
            await progress.UpdateAsync(run.Job.OrderId, cancellationToken);

            var outcome = await RunStageAsync(stage, run, cancellationToken);
            if (outcome is not StageResult.Next) return (stage.Name, outcome);
            run.Job = await queue.GetAsync(run.Lease.JobId, cancellationToken) ?? throw new LeaseLostException(run.Lease);
        }
        return (JobStage.Done, StageResult.Ended);
    }

    private async Task<StageResult> RunStageAsync(IStage stage, JobRun run, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(stage.Timeout);
        try
        {
            return await stage.RunAsync(run, limit.Token);
        }
        catch (LeaseLostException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            logger.LogWarning("Stage {Stage} of job {JobId} ran out of its {Timeout}", stage.Name, run.Lease.JobId, stage.Timeout);
            return new StageResult.Failed(FailureClass.Temporary, $"{stage.Name} took longer than {stage.Timeout}");
        }
        catch (Exception e)
        {
            var failureClass = FailureClassifier.Classify(e);
            logger.LogWarning(e, "Stage {Stage} of job {JobId} failed: {FailureClass}", stage.Name, run.Lease.JobId, failureClass);
            return new StageResult.Failed(failureClass, $"{stage.Name}: {e.GetType().Name}");
        }
    }
}
