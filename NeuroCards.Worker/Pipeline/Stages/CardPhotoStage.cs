using NeuroCards.Core.Data;
using NeuroCards.Core.Marketplaces.Wildberries;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Storage;

namespace NeuroCards.Worker.Pipeline.Stages;

/// <summary>
/// A catalogue card's job starts without a photo (five hundred photos are not fetched while the seller presses «🚀»):
/// its card's first photo is fetched from Wildberries' public card, stored as the order's, and the job goes on as any.
/// </summary>
public sealed class CardPhotoStage(JobQueue queue, Db db, WildberriesCatalog catalog, IMediaStore store) : IStage
{
    public JobStage Name => JobStage.Prompt;

    public TimeSpan Timeout => TimeSpan.FromMinutes(2);

    public bool IsDone(Job job) => job.PhotoKey.Length > 0;

    public async Task<StageResult> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var article = await db.ScalarAsync<string?>("select article from orders where id = @orderId", new { orderId = run.Job.OrderId }, cancellationToken);
        if (!long.TryParse(article, out var nmId))
            return new StageResult.Failed(FailureClass.BadRequest, "a catalogue card without its article", Final: true);
        var photo = await catalog.GetPhotoAsync(nmId, 1, cancellationToken);
        if (photo is null) return new StageResult.Failed(FailureClass.Temporary, $"the photo of card {nmId} did not come");
        using var bytes = new MemoryStream();
        bytes.Write(photo);
        var (kind, problem) = await InputPhotoCheck.CheckAsync(bytes, cancellationToken);
        if (problem is not null || kind is null)
            return new StageResult.Failed(FailureClass.BadRequest, $"the photo of card {nmId} is not one we can take ({problem})", Final: true);
        var key = MediaKeys.Input(run.Job.OrderId, kind.Value, photo);
        await store.PutAsync(key, bytes, ImageSniffer.ContentType(kind.Value), cancellationToken);
        if (!await queue.SetPhotoAsync(run.Lease, key, cancellationToken)) throw new LeaseLostException(run.Lease);
        return StageResult.Continue;
    }
}
