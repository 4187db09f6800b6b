using System.Diagnostics;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Storage;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Texts;
using NeuroCards.Worker.Delivery;
using NeuroCards.Worker.Generation;
using NeuroCards.Worker.Generation.Kie;
using NeuroCards.Worker.Media;
using NeuroCards.Worker.Progress;
using NeuroCards.Worker.Prompting;
using Npgsql;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Worker.Jobs;

/// <summary>
/// One job through prompt → render → store → deliver. Each step records its result on the job
/// before the next starts, so a worker that takes the job over continues from the last recorded
/// step: one provider task per attempt, one charge, at most one refund, one delivery.
/// </summary>
public sealed class JobProcessor(
    JobQueue queue,
    QueueSignals signals,
    PromptWriter prompts,
    IVideoProvider provider,
    IMediaStore store,
    ResultDownloader downloader,
    Ffmpeg ffmpeg,
    VideoDelivery delivery,
    OrderProgress progress,
    NpgsqlDataSource dataSource,
    ITelegramBotClient telegram,
    TextCatalog texts,
    IOptions<KieOptions> kieOptions,
    IOptions<TelegramOptions> telegramOptions,
    TimeProvider time,
    JobMetrics metrics,
    ILogger<JobProcessor> logger) : IJobProcessor
{
    public static readonly ActivitySource Activity = new("NeuroCards.Worker");
    public const int MaxDeliveryAttempts = 8;
    private readonly KieOptions _kie = kieOptions.Value;

    public async Task ProcessAsync(Job job, string workerId, CancellationToken cancellationToken)
    {
        // One trace from the button press through the queue to delivery.
        ActivityContext.TryParse(job.TraceContext, null, out var parent);
        using var activity = Activity.StartActivity("process job", ActivityKind.Consumer, parent);
        activity?.SetTag("neurocards.job_id", job.Id);
        activity?.SetTag("neurocards.order_id", job.OrderId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.Id, ["OrderId"] = job.OrderId });

        if (job.ResultKey is null)
        {
            if (!await GenerateAsync(job, workerId, cancellationToken)) return;
            job = await queue.GetAsync(job.Id, cancellationToken) ?? throw new InvalidOperationException("job vanished");
        }
        await DeliverAsync(job, workerId, cancellationToken);
    }

    /// <summary>Returns true when the video is in storage; false when the job was rescheduled or failed.</summary>
    private async Task<bool> GenerateAsync(Job job, string workerId, CancellationToken cancellationToken)
    {
        var prompt = job.FinalPrompt;
        if (prompt is null)
        {
            await StageAsync(job, workerId, JobStage.Prompt, cancellationToken);
            using (Activity.StartActivity("write prompt"))
            {
                var written = await prompts.WriteAsync(job.Template, job.Language, job.Description, job.Wishes, job.UserPrompt, job.Index, cancellationToken);
                prompt = written.Prompt;
                logger.LogInformation("Prompt for job {JobId} written ({Source})", job.Id, written.FromModel ? "model" : "template");
            }
            if (!await queue.RecordPromptAsync(job.Id, workerId, prompt, cancellationToken)) throw new LeaseLostException(job.Id);
        }

        var taskId = job.ProviderTaskId;
        var keyId = job.ProviderKeyId;
        var attempt = job.Attempt;
        if (taskId is null)
        {
            if (attempt >= _kie.MaxAttempts)
            {
                await FailAsync(job, workerId, job.ErrorClass ?? FailureClass.ProviderFailure, "attempts exhausted: " + job.ErrorText, cancellationToken);
                return false;
            }
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            var deadline = time.GetUtcNow().UtcDateTime.AddMinutes(_kie.DeadlineMinutes);
            if (!await queue.BeginProviderAttemptAsync(job.Id, workerId, provider.Name, token, deadline, cancellationToken)) throw new LeaseLostException(job.Id);
            attempt++;
            await progress.UpdateAsync(job.OrderId, cancellationToken);

            var photoUrl = await store.GetSignedUrlAsync(job.PhotoKey, TimeSpan.FromHours(3), cancellationToken);
            var callback = provider.SupportsCallbacks && !string.IsNullOrWhiteSpace(_kie.CallbackBaseUrl)
                ? new Uri($"{_kie.CallbackBaseUrl!.TrimEnd('/')}/callbacks/kie?token={token}")
                : null;
            var request = new RenderRequest(job.Id, job.Model, prompt, photoUrl, job.PhotoKey, ProductName.Of(job.Description, 80), callback, job.Index);

            CreateResult created;
            using (Activity.StartActivity("create render task"))
            {
                created = await provider.CreateAsync(request, cancellationToken);
            }
            switch (created)
            {
                case CreateResult.Created c:
                    // Recorded before anything else: from here any worker can resume polling this task.
                    if (!await queue.RecordProviderTaskAsync(job.Id, workerId, c.TaskId, c.KeyId, cancellationToken))
                    {
                        logger.LogError("Lost the lease on job {JobId} right after creating task {TaskId}", job.Id, c.TaskId);
                        throw new LeaseLostException(job.Id);
                    }
                    taskId = c.TaskId;
                    keyId = c.KeyId;
                    logger.LogInformation("Render task {TaskId} created for job {JobId} (attempt {Attempt})", c.TaskId, job.Id, attempt);
                    break;
                case CreateResult.Failed f:
                    await RetryOrFailAsync(job, workerId, attempt, f.FailureClass, f.Reason, cancellationToken);
                    return false;
                case CreateResult.Unknown u:
                    // Maybe created, maybe not; we have no id to look for, so it counts as an attempt and we try later.
                    logger.LogWarning("createTask outcome unknown for job {JobId}: {Reason}", job.Id, u.Reason);
                    await RetryOrFailAsync(job, workerId, attempt, FailureClass.Temporary, u.Reason, cancellationToken);
                    return false;
            }
        }

        var resultUrl = await PollAsync(job, workerId, taskId!, keyId!, attempt, cancellationToken);
        if (resultUrl is null) return false;
        return await StoreAsync(job, workerId, resultUrl, cancellationToken);
    }

    /// <summary>Waits for the task to end: woken by the provider's callback, polling as the fallback.</summary>
    private async Task<Uri?> PollAsync(Job job, string workerId, string taskId, string keyId, int attempt, CancellationToken cancellationToken)
    {
        await StageAsync(job, workerId, JobStage.Render, cancellationToken);
        string? lastState = null;
        var failures = 0;
        using var _ = Activity.StartActivity("wait for render");
        while (true)
        {
            // Read each round: an admin may have refunded the job, or an operator moved its deadline.
            var current = await queue.GetAsync(job.Id, cancellationToken);
            if (current is null || current.Status != JobStatus.Running || current.LeaseOwner != workerId) throw new LeaseLostException(job.Id);
            lastState ??= current.ProviderState;
            var deadline = current.RenderDeadline ?? time.GetUtcNow().UtcDateTime.AddMinutes(_kie.DeadlineMinutes);
            var pastDeadline = time.GetUtcNow().UtcDateTime > deadline;
            var status = await provider.GetStatusAsync(taskId, keyId, job.Model, cancellationToken);
            switch (status)
            {
                case RenderStatus.Succeeded s:
                    await queue.RecordProviderStateAsync(job.Id, workerId, "success", s.ResultUrl.ToString(), cancellationToken);
                    if (current.ProviderCreatedAt is { } created) metrics.Rendered(time.GetUtcNow().UtcDateTime - created);
                    return s.ResultUrl;
                case RenderStatus.Failed f:
                    logger.LogWarning("Render task {TaskId} of job {JobId} failed: {FailureClass} {Reason}", taskId, job.Id, f.FailureClass, f.Reason);
                    await queue.ClearProviderTaskAsync(job.Id, workerId, cancellationToken);
                    await RetryOrFailAsync(job, workerId, attempt, f.FailureClass, f.Reason, cancellationToken);
                    return null;
                case RenderStatus.Pending p when p.State != lastState:
                    lastState = p.State;
                    await queue.RecordProviderStateAsync(job.Id, workerId, p.State, null, cancellationToken);
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
                await FailAsync(job, workerId, FailureClass.Timeout, $"no result within {_kie.DeadlineMinutes} min", cancellationToken);
                return null;
            }
            await progress.UpdateAsync(job.OrderId, cancellationToken);
            var wait = TimeSpan.FromSeconds(_kie.PollSeconds * Math.Pow(2, Math.Min(failures, 4)));
            var untilDeadline = deadline - time.GetUtcNow().UtcDateTime;
            if (untilDeadline < wait) wait = untilDeadline > TimeSpan.Zero ? untilDeadline : TimeSpan.FromMilliseconds(1);
            await signals.WaitForCallbackAsync(job.Id, wait, cancellationToken);
        }
    }

    private async Task<bool> StoreAsync(Job job, string workerId, Uri resultUrl, CancellationToken cancellationToken)
    {
        await StageAsync(job, workerId, JobStage.Store, cancellationToken);
        var temp = Path.Combine(Path.GetTempPath(), $"neurocards-result-{job.Id:N}.mp4");
        try
        {
            using (Activity.StartActivity("store result"))
            {
                await downloader.DownloadAsync(resultUrl, temp, cancellationToken);
                var info = await ffmpeg.ProbeAsync(temp, cancellationToken);
                var key = MediaKeys.Output(job.Id);
                await using (var file = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
                {
                    await store.PutAsync(key, file, "video/mp4", cancellationToken);
                }
                if (!await queue.RecordResultAsync(job.Id, workerId, key, info.SizeBytes, info.DurationSeconds, info.Width, info.Height, cancellationToken))
                {
                    throw new LeaseLostException(job.Id);
                }
                logger.LogInformation("Video of job {JobId} stored: {Bytes} bytes, {Width}x{Height}, {Duration:F1} s",
                    job.Id, info.SizeBytes, info.Width, info.Height, info.DurationSeconds);
            }
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The result URL lives for about a day: try again soon, without a new (paid) render.
            logger.LogWarning(e, "Could not store the result of job {JobId}; trying again shortly", job.Id);
            if (time.GetUtcNow().UtcDateTime > (job.RenderDeadline ?? DateTime.MaxValue).AddHours(6))
            {
                await FailAsync(job, workerId, FailureClass.ProviderFailure, "result could not be downloaded", cancellationToken);
            }
            else
            {
                await queue.RetryLaterAsync(job.Id, workerId, time.GetUtcNow().UtcDateTime.AddMinutes(1), FailureClass.Temporary,
                    "result download failed", cancellationToken: cancellationToken);
            }
            return false;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>How long a finished video waits for the earlier videos of its order, so they arrive 1, 2, 3.</summary>
    public static readonly TimeSpan OrderWait = TimeSpan.FromMinutes(3);

    private async Task DeliverAsync(Job job, string workerId, CancellationToken cancellationToken)
    {
        // Videos arrive in their order: one whose earlier siblings are still on their way steps back a few seconds
        // (its lease released, not counted as a delivery attempt) — but a slow sibling holds it back for OrderWait at most.
        var now = time.GetUtcNow().UtcDateTime;
        if (job.Index > 0 && now - (job.SucceededAt ?? now) < OrderWait && await queue.HasEarlierUnfinishedAsync(job.OrderId, job.Index, cancellationToken))
        {
            await queue.RetryLaterAsync(job.Id, workerId, now.AddSeconds(2), null, null, cancellationToken: cancellationToken);
            return;
        }
        await StageAsync(job, workerId, JobStage.Deliver, cancellationToken);
        var count = await OrderCountAsync(job.OrderId, cancellationToken);
        try
        {
            VideoDelivery.Sent sent;
            using (Activity.StartActivity("deliver video"))
            {
                sent = await delivery.SendAsync(job, count, cancellationToken);
            }
            if (!await queue.CompleteAsync(job.Id, workerId, sent.FileId, cancellationToken))
            {
                logger.LogWarning("Job {JobId} was delivered but its lease had moved on", job.Id);
            }
            metrics.Delivered();
            logger.LogInformation("Job {JobId} delivered ({Bytes} bytes, transcoded: {Transcoded})", job.Id, sent.Bytes, sent.Transcoded);
        }
        catch (ApiRequestException e) when (e.ErrorCode == 403)
        {
            // The user blocked the bot: nothing to retry. The video stays; never refunded.
            await queue.MarkUndeliverableAsync(job.Id, workerId, "blocked by the user", cancellationToken);
        }
        catch (Exception e) when (e is ApiRequestException or HttpRequestException or IOException or InvalidOperationException or RequestException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var attempts = job.DeliveryAttempt + 1;
            if (attempts >= MaxDeliveryAttempts)
            {
                logger.LogError(e, "Giving up delivering job {JobId} after {Attempts} attempts; the video stays in storage", job.Id, attempts);
                await queue.MarkUndeliverableAsync(job.Id, workerId, "delivery failed: " + e.GetType().Name, cancellationToken);
            }
            else
            {
                var backoff = TimeSpan.FromSeconds(Math.Min(600, 10 * Math.Pow(2, attempts)));
                logger.LogWarning(e, "Delivery of job {JobId} failed (attempt {Attempt}); retrying in {Backoff}", job.Id, attempts, backoff);
                await queue.RetryLaterAsync(job.Id, workerId, time.GetUtcNow().UtcDateTime.Add(backoff), null, "delivery failed",
                    countsAsDeliveryAttempt: true, cancellationToken: cancellationToken);
            }
        }
        await progress.UpdateAsync(job.OrderId, cancellationToken);
    }

    private async Task RetryOrFailAsync(Job job, string workerId, int attempt, string failureClass, string reason, CancellationToken cancellationToken)
    {
        if (KieFailureClassifier.IsRetryable(failureClass) && attempt < _kie.MaxAttempts)
        {
            var backoff = TimeSpan.FromSeconds(Math.Min(900, 30 * Math.Pow(2, attempt - 1)));
            logger.LogInformation("Job {JobId} will try again in {Backoff} after {FailureClass}", job.Id, backoff, failureClass);
            await queue.RetryLaterAsync(job.Id, workerId, time.GetUtcNow().UtcDateTime.Add(backoff), failureClass, reason, cancellationToken: cancellationToken);
            await progress.UpdateAsync(job.OrderId, cancellationToken);
            return;
        }
        // Retries exhausted on a temporary class: the user hears "busy, we tried several times".
        var final = failureClass is FailureClass.RateLimit or FailureClass.ProviderFailure ? FailureClass.Temporary : failureClass;
        await FailAsync(job, workerId, final, reason, cancellationToken);
    }

    private async Task FailAsync(Job job, string workerId, string failureClass, string reason, CancellationToken cancellationToken)
    {
        var (owned, refund) = await queue.FailAsync(job.Id, workerId, failureClass, reason, cancellationToken);
        if (!owned) return;
        metrics.Failed(failureClass);
        logger.LogWarning("Job {JobId} failed: {FailureClass} ({Reason}); refund: {Refund}", job.Id, failureClass, reason, refund);
        if (failureClass == FailureClass.OurSide) await AlertOperatorsAsync(job, reason, cancellationToken);
        // The user hears why once, in the order's closing message (with the refund and the new balance).
        await progress.UpdateAsync(job.OrderId, cancellationToken);
    }

    private async Task AlertOperatorsAsync(Job job, string reason, CancellationToken cancellationToken)
    {
        logger.LogCritical("Operator attention: job {JobId} failed on our side: {Reason}", job.Id, reason);
        foreach (var admin in telegramOptions.Value.Admins)
        {
            try
            {
                await telegram.SendMessage(admin, texts.Get("ru", "worker.alert.our_side", ("job", job.Id), ("reason", Html.Escape(reason))),
                    ParseMode.Html, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (e is ApiRequestException or HttpRequestException or RequestException)
            {
                logger.LogWarning(e, "Could not alert admin {AdminId}", admin);
            }
        }
    }

    private async Task StageAsync(Job job, string workerId, string stage, CancellationToken cancellationToken)
    {
        if (!await queue.SetStageAsync(job.Id, workerId, stage, cancellationToken)) throw new LeaseLostException(job.Id);
        await progress.UpdateAsync(job.OrderId, cancellationToken);
    }

    private async Task<int> OrderCountAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "select count(*)::int from jobs where order_id = @orderId", new { orderId }, cancellationToken: cancellationToken));
    }
}
