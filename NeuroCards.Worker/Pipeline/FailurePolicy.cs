using Microsoft.Extensions.Options;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Queue;
using NeuroCards.Worker.Alerts;

namespace NeuroCards.Worker.Pipeline;

/// <summary>
/// The one place that decides what a failure does to a job. Before the video exists: another try later (backoff, the
/// worker does not sleep holding the job) while the class can heal and the job has tries left, else fail with the
/// refund in the same transaction (operators alerted for our-side failures). After the video exists: never a refund —
/// delivery is tried again, and a user who blocked the bot or attempts that ran out leave the video undeliverable.
/// </summary>
public sealed class FailurePolicy(
    JobQueue queue,
    OperatorAlerts alerts,
    IOptions<WorkerOptions> workerOptions,
    IOptions<KieOptions> kieOptions,
    TimeProvider time,
    JobMetrics metrics,
    ILogger<FailurePolicy> logger)
{
    public const int MaxDeliveryAttempts = 8;
    private readonly WorkerOptions _worker = workerOptions.Value;

    public async Task ApplyAsync(JobRun run, JobStage stage, StageResult.Failed failure, CancellationToken cancellationToken)
    {
        var job = await queue.GetAsync(run.Lease.JobId, cancellationToken);
        if (job is null || job.Status != JobStatus.Running || job.LeaseToken != run.Lease.Token) throw new LeaseLostException(run.Lease);
        if (job.ResultKey is not null)
        {
            await DeliveryFailedAsync(run, job, failure, cancellationToken);
            return;
        }

        var exhausted = failure.Final
                        || !Retryable(failure.FailureClass)
                        || job.FailureCount + 1 >= _worker.MaxFailures
                        || (stage == JobStage.Render && job.Attempt >= kieOptions.Value.MaxAttempts);
        if (!exhausted)
        {
            var tries = Math.Max(job.Attempt, job.FailureCount + 1);
            var backoff = Backoff.Exponential(tries, TimeSpan.FromSeconds(_worker.RetryBaseSeconds), TimeSpan.FromMinutes(15));
            logger.LogInformation("Job {JobId} will try again in {Backoff} after {FailureClass} at {Stage}: {Reason}",
                job.Id, backoff, failure.FailureClass, stage, failure.Reason);
            // A render that failed is forgotten in the same write that puts the job back: the next attempt creates a new one.
            await queue.RetryLaterAsync(run.Lease, time.GetUtcNow().UtcDateTime.Add(backoff), failure.FailureClass, failure.Reason,
                forgetProviderTask: job.ProviderState == "fail", cancellationToken: cancellationToken);
            return;
        }

        // Tries exhausted on a class that can heal: the user hears "busy, we tried several times" — or, for a photo the
        // provider could never fetch, what to do about the photo.
        var final = failure.FailureClass switch
        {
            FailureClass.RateLimit or FailureClass.ProviderFailure => FailureClass.Temporary,
            FailureClass.ImageFetch => FailureClass.BadRequest,
            _ => failure.FailureClass,
        };
        var (owned, refund) = await queue.FailAsync(run.Lease, final, failure.Reason, cancellationToken);
        if (!owned) throw new LeaseLostException(run.Lease);
        metrics.Failed(final);
        logger.LogWarning("Job {JobId} failed at {Stage}: {FailureClass} ({Reason}); refund: {Refund}", job.Id, stage, final, failure.Reason, refund);
        if (final is FailureClass.OurSide or FailureClass.ModelUnavailable)
            await alerts.SendAsync("worker.alert.our_side", cancellationToken, ("job", job.Id), ("reason", failure.Reason));
    }

    /// <summary>Classes worth another try. Unknown ones too: most are a passing fault we have not met before, and the limit ends the rest.</summary>
    private static bool Retryable(FailureClass failureClass) => KieFailureClassifier.IsRetryable(failureClass) || failureClass == FailureClass.Unknown;

    private async Task DeliveryFailedAsync(JobRun run, Job job, StageResult.Failed failure, CancellationToken cancellationToken)
    {
        if (failure.FailureClass == FailureClass.Blocked)
        {
            // The user blocked the bot: nothing to retry. The video stays; never refunded.
            await queue.MarkUndeliverableAsync(run.Lease, "blocked by the user", cancellationToken);
            return;
        }
        var attempts = job.DeliveryAttempt + 1;
        if (attempts >= MaxDeliveryAttempts || failure.Final)
        {
            logger.LogError("Giving up delivering job {JobId} after {Attempts} attempts ({Reason}); the video stays in storage", job.Id, attempts, failure.Reason);
            await queue.MarkUndeliverableAsync(run.Lease, "delivery failed: " + failure.Reason, cancellationToken);
            return;
        }
        var backoff = Backoff.Exponential(attempts + 1, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10));
        logger.LogWarning("Delivery of job {JobId} failed (attempt {Attempt}: {Reason}); retrying in {Backoff}", job.Id, attempts, failure.Reason, backoff);
        await queue.RetryLaterAsync(run.Lease, time.GetUtcNow().UtcDateTime.Add(backoff), null, "delivery failed: " + failure.Reason,
            countsAsDeliveryAttempt: true, cancellationToken: cancellationToken);
    }
}
