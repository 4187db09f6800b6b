using System.Diagnostics;
using NeuroCards.Core.Money;
using NeuroCards.Tests.Core.Storage;
using NeuroCards.Tests.Fakes;

namespace NeuroCards.Tests.Worker.Jobs;

/// <summary>Memory measured while nothing else runs: big files stream, many jobs in flight stay cheap.</summary>
[Collection(nameof(MemoryMeasurements))]
public sealed class ScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly WorkerHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task A_120_MB_result_is_transcoded_under_the_50_MB_limit_and_delivered_without_holding_it_in_memory()
    {
        var big = await TestMedia.MakeAsync("big.mp4",
            "-f lavfi -i nullsrc=s=640x360:r=30,geq=random(1)*255:128:128 -f lavfi -i sine=frequency=300 -t 12 -c:v libx264 -preset ultrafast -qp 0 -pix_fmt yuv420p -c:a aac -shortest");
        var size = new FileInfo(big).Length;
        Assert.True(size > 100L * 1024 * 1024, $"test video is only {size / 1024 / 1024} MB");
        h.Kie.Default = new KieScript { ResultFile = big };
        await using var worker = await h.StartWorkerAsync();

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (user, orderId, _) = await h.PlaceOrderAsync();
        await h.WaitAllFinishedAsync(orderId, seconds: 240);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        var video = (await user.Transcript()).Single(m => m.Video is not null).Video!;
        var delivered = video["file_size"]!.GetValue<long>();
        output.WriteLine($"{size / 1024.0 / 1024:F0} MB result → {delivered / 1024.0 / 1024:F1} MB delivered; {allocated / 1024.0 / 1024:F0} MB allocated in this process");
        Assert.True(delivered < 50L * 1024 * 1024);
        var file = Path.Combine(Path.GetTempPath(), $"nc-fit-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, await h.Telegram.DownloadAsync(video["file_id"]!.GetValue<string>()));
        var probe = await TestMedia.ProbeAsync(file);
        File.Delete(file);
        Assert.InRange(probe.Duration, 11, 13);
        // Download, storage, upload and the emulator receiving it all happen in this process, twice over 120 MB:
        // allocations stay a fraction of the file, so nothing holds the video in memory.
        Assert.True(allocated < size / 2, $"allocated {allocated / 1024 / 1024} MB for a {size / 1024 / 1024} MB video");
    }

    [Fact]
    public async Task One_worker_carries_500_jobs_in_flight_with_bounded_memory()
    {
        h.Kie.Default = new KieScript { RenderMs = 600_000, Callbacks = 0, FetchImage = false };
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?>
        {
            ["Worker:MaxInFlight"] = "500",
            ["Worker:PerUserCap"] = "5",
            ["Worker:ClaimBatch"] = "100",
            ["Kie:PollSeconds"] = "30",
        });
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 100; i++) await h.PlaceOrderAsync(count: 5);

        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (h.Kie.Tasks.Count < 500 && DateTime.UtcNow < deadline) await Task.Delay(200);
        await Task.Delay(1000);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var workingSet = Process.GetCurrentProcess().WorkingSet64;

        Assert.Equal(500, h.Kie.Tasks.Count);
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        Assert.Equal(500, await conn.ExecuteScalarAsync<int>("select count(*)::int from jobs where status = 'running' and stage = 'render'"));
        var perJob = (heapAfter - heapBefore) / 500.0;
        output.WriteLine($"500 jobs in flight: managed heap +{(heapAfter - heapBefore) / 1024.0 / 1024:F1} MB ({perJob / 1024:F1} KB per job), process working set {workingSet / 1024 / 1024} MB");
        Assert.True(heapAfter - heapBefore < 100L * 1024 * 1024, $"heap grew {(heapAfter - heapBefore) / 1024 / 1024} MB");
    }
}
