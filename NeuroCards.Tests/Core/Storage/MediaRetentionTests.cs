using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Storage;

namespace NeuroCards.Tests.Core.Storage;

public sealed class MediaRetentionTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Old_media_is_deleted_except_what_an_unfinished_job_still_needs()
    {
        await using var backend = await StorageBackend.StartAsync(StorageProvider.Supabase);
        var store = backend.Store;
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Retention", "ru");
        var orderId = await TestData.DraftOrderAsync(db.DataSource, userId, count: 1);
        var jobs = Assert.IsType<ConfirmOrderResult.Confirmed>(await db.Orders.ConfirmAsync(orderId, 1)).JobIds;
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var photoKey = await conn.ExecuteScalarAsync<string>("select photo_key from orders where id = @orderId", new { orderId });
        var undelivered = MediaKeys.Output(jobs[0]);
        var delivered = MediaKeys.Output(Guid.NewGuid());
        var oldInput = MediaKeys.Input(Guid.NewGuid(), ImageKind.Jpeg);
        var fresh = MediaKeys.Output(Guid.NewGuid());
        await conn.ExecuteAsync("update jobs set result_key = @undelivered, succeeded_at = now() where id = @id", new { undelivered, id = jobs[0] });
        foreach (var key in new[] { photoKey!, undelivered, delivered, oldInput, fresh })
        {
            await store.PutAsync(key, new MemoryStream([1, 2, 3]), "application/octet-stream");
            if (key != fresh) backend.Supabase!.Age("media", key, TimeSpan.FromDays(40));
        }
        var retention = new MediaRetentionService(store, db.Db, new ClusterLease(db.Db), Options.Create(new StorageOptions { RetentionDays = 30 }),
            TimeProvider.System, NullLogger<MediaRetentionService>.Instance);

        var deleted = await retention.SweepAsync(CancellationToken.None);

        Assert.Equal(new[] { delivered, oldInput }.Order(), deleted.Order());
        Assert.True(await store.ExistsAsync(photoKey!));   // its job is still queued
        Assert.True(await store.ExistsAsync(undelivered)); // the video exists but the user has not got it yet
        Assert.True(await store.ExistsAsync(fresh));
        Assert.False(await store.ExistsAsync(delivered));
    }
}
