using Microsoft.Extensions.Options;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Storage;
using NeuroCards.Worker.Generation;
using NeuroCards.Worker.Media;

namespace NeuroCards.Worker.Pipeline.Stages;

/// <summary>
/// Copies the provider's result (a temporary URL) into our storage at once, made marketplace-ready on the way (the order's
/// frame, at least 8 s, captions, H.264/MP4 under 50 MB), with its size, duration and dimensions. From the moment it is
/// recorded the job is never refunded.
/// </summary>
public sealed class StoreStage(JobQueue queue, ResultDownloader downloader, Ffmpeg ffmpeg, MarketplaceFormatter formatter, IMediaStore store,
    IOptions<WorkerOptions> options, ILogger<StoreStage> logger) : IStage
{
    public JobStage Name => JobStage.Store;

    // A download that stalls (headers sent, then nothing) must not hold the job while its lease is renewed.
    public TimeSpan Timeout => TimeSpan.FromSeconds(options.Value.StoreTimeoutSeconds);

    public bool IsDone(Job job) => job.ResultKey is not null;

    public async Task<StageResult> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var job = run.Job;
        var resultUrl = new Uri(job.ProviderResultUrl ?? throw new InvalidOperationException("no result URL recorded"));
        var work = Path.Combine(Path.GetTempPath(), $"neurocards-result-{job.Id:N}-{run.Lease.Token:N}");
        Directory.CreateDirectory(work);
        try
        {
            using (StageRunner.Activity.StartActivity("store result"))
            {
                var downloaded = Path.Combine(work, "provider.mp4");
                var localFolder = job.Provider == Generation.Local.LocalVideoProvider.ProviderName ? Generation.Local.LocalVideoProvider.OutputFolder : null;
                await downloader.DownloadAsync(resultUrl, downloaded, localFolder, cancellationToken);
                var ready = Path.Combine(work, "ready.mp4");
                var lines = job.Captions ? job.CaptionLines ?? [] : [];
                using (StageRunner.Activity.StartActivity("format for marketplaces"))
                {
                    if (!await formatter.FormatAsync(downloaded, ready, job.Format, lines, work, cancellationToken)) ready = downloaded;
                }
                var info = await ffmpeg.ProbeAsync(ready, cancellationToken);
                if (MarketplaceCheck.Problems(info.Facts) is { Count: > 0 } problems)
                {
                    // Delivered all the same (the seller paid for it), but this is ours to fix.
                    logger.LogError("Video of job {JobId} fails the marketplace check: {Problems}", job.Id, string.Join("; ", problems));
                }
                var key = MediaKeys.Output(job.Id);
                await using (var file = new FileStream(ready, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
                {
                    await store.PutAsync(key, file, "video/mp4", cancellationToken);
                }
                if (!await queue.RecordResultAsync(run.Lease, key, info.SizeBytes, info.DurationSeconds, info.Width, info.Height, cancellationToken))
                {
                    throw new LeaseLostException(run.Lease);
                }
                logger.LogInformation("Video of job {JobId} stored: {Bytes} bytes, {Width}x{Height}, {Duration:F1} s",
                    job.Id, info.SizeBytes, info.Width, info.Height, info.DurationSeconds);
            }
            return StageResult.Continue;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}
