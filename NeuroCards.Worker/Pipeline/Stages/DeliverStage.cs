using NeuroCards.Core.Publishing;
using NeuroCards.Core.Queue;
using NeuroCards.Worker.Delivery;
using Npgsql;

namespace NeuroCards.Worker.Pipeline.Stages;

/// <summary>
/// Sends the stored video in the chat and completes the job (a catalogue card's video goes to the publication queue instead). Videos of an order arrive in their order: one whose
/// earlier siblings are still on their way steps back a few seconds — for <see cref="OrderWait"/> at most.
/// </summary>
public sealed class DeliverStage(JobQueue queue, Publications publications, VideoDelivery delivery, TimeProvider time, JobMetrics metrics,
    ILogger<DeliverStage> logger) : IStage
{
    /// <summary>How long a finished video waits for the earlier videos of its order, so they arrive 1, 2, 3.</summary>
    public static readonly TimeSpan OrderWait = TimeSpan.FromMinutes(3);

    public JobStage Name => JobStage.Deliver;

    // Uploads of up to 50 MB (2 GB to a local Bot API server) over a slow link.
    public TimeSpan Timeout => TimeSpan.FromMinutes(30);

    public bool IsDone(Job job) => job.DeliveredAt is not null;

    public async Task<StageResult> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var job = run.Job;
        if (job.InBatch)
        {
            // A catalogue card's video goes to its card, not to the chat: completed and queued for publishing at once.
            if (!await publications.CompleteBatchJobAsync(run.Lease, cancellationToken)) throw new LeaseLostException(run.Lease);
            metrics.Delivered();
            return StageResult.Ended;
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (job.Index > 0 && now - (job.SucceededAt ?? now) < OrderWait && await queue.HasEarlierUnfinishedAsync(job.OrderId, job.Index, cancellationToken))
        {
            return new StageResult.Later(now.AddSeconds(2));
        }
        var count = await queue.CountInOrderAsync(job.OrderId, cancellationToken);
        VideoDelivery.Sent sent;
        using (StageRunner.Activity.StartActivity("deliver video"))
        {
            sent = await delivery.SendAsync(job, count, cancellationToken);
        }
        if (!await RecordDeliveredAsync(run, sent.FileId, cancellationToken))
        {
            logger.LogWarning("Job {JobId} was delivered but its lease had moved on", job.Id);
        }
        metrics.Delivered();
        logger.LogInformation("Job {JobId} delivered ({Bytes} bytes, transcoded: {Transcoded})", job.Id, sent.Bytes, sent.Transcoded);
        return StageResult.Ended;
    }

    /// <summary>
    /// The video is in the chat: recording it must ride out a database restart, or the job would be taken over and the
    /// video sent a second time. Passing failures are retried for up to <see cref="RecordFor"/>.
    /// </summary>
    private async Task<bool> RecordDeliveredAsync(JobRun run, string fileId, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + RecordFor;
        while (true)
        {
            try
            {
                return await queue.CompleteAsync(run.Lease, fileId, cancellationToken);
            }
            catch (Exception e) when (e is NpgsqlException { IsTransient: true } or TimeoutException && time.GetUtcNow() < until)
            {
                logger.LogWarning(e, "Could not record the delivery of job {JobId} yet; trying again", run.Lease.JobId);
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            }
        }
    }

    public static readonly TimeSpan RecordFor = TimeSpan.FromSeconds(60);
}
