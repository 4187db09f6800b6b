using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Data;
using NeuroCards.Core.Hosting;

namespace NeuroCards.Core.Storage;

/// <summary>
/// Deletes inputs and outputs older than Storage:RetentionDays, but never what an unfinished job
/// still needs: a photo of an order with a queued or running job, or a video not yet delivered.
/// </summary>
public sealed class MediaRetentionService(
    IMediaStore store, Db db, ClusterLease lease, IOptions<StorageOptions> options, TimeProvider time,
    ILogger<MediaRetentionService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Once per cluster: workers on several hosts would only sweep the same objects over and over.
                if (await lease.TryHoldAsync("media-retention", 2 * Interval, stoppingToken)) await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Media retention sweep failed; next try in {Interval}", Interval);
            }
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass; returns the keys it deleted.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddDays(-options.Value.RetentionDays);
        var old = new List<string>();
        foreach (var prefix in new[] { "inputs/", "outputs/", "previews/", "scenes/" })
        {
            await foreach (var item in store.ListAsync(prefix, cancellationToken))
            {
                if (item.LastModified < cutoff) old.Add(item.Key);
            }
        }
        if (old.Count == 0) return [];
        var keep = (await db.ListAsync<string>("""
            select result_key from jobs
            where result_key = any(@old) and status not in ('delivered', 'failed', 'undeliverable')
            union
            select photo_key from jobs
            where photo_key = any(@old) and status in ('queued', 'running')
            union
            select photo_key from orders
            where photo_key = any(@old) and status = 'draft' and updated_at > now() - interval '1 day'
            union
            -- a card video's stills and scene clips while its job may still need them
            select k from card_previews p, unnest(p.keyframe_keys) k
            where k = any(@old) and exists (select 1 from jobs j where j.order_id = p.order_id and j.status in ('queued', 'running'))
            union
            select s.clip_key from job_scenes s join jobs j on j.id = s.job_id
            where s.clip_key = any(@old) and j.status in ('queued', 'running')
            """, new { old = old.ToArray() }, cancellationToken)).ToHashSet();

        var deleted = new List<string>();
        foreach (var key in old.Where(k => !keep.Contains(k)))
        {
            await store.DeleteAsync(key, cancellationToken);
            deleted.Add(key);
        }
        if (deleted.Count > 0) logger.LogInformation("Retention deleted {Count} media object(s) older than {Days} days", deleted.Count, options.Value.RetentionDays);
        return deleted;
    }
}
