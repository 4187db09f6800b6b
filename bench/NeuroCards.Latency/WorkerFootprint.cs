using NeuroCards.Tests.Fakes;

namespace NeuroCards.Latency;

/// <summary>
/// The worker process's memory and CPU: with hundreds of renders waiting at KIE at once, and while one 200 MB result
/// goes through download, storage, the marketplace formatter and delivery.
/// </summary>
public sealed class WorkerFootprint(Stack stack)
{
    public async Task RunAsync(int inFlight)
    {
        await RendersInFlightAsync(inFlight);
        await LargeResultAsync();
    }

    private async Task RendersInFlightAsync(int inFlight)
    {
        stack.Kie.Default = new KieScript { RenderMs = 600_000, Callbacks = 0 };
        var worker = await stack.StartWorkerAsync(new Dictionary<string, string?>
        {
            ["Worker:MaxInFlight"] = inFlight.ToString(),
            ["Kie:PollSeconds"] = "20",
        });
        var idle = Stats.RssMb(worker.Id);
        var before = stack.Kie.Tasks.Count;
        var drafts = new List<Guid>();
        for (var i = 0; i < inFlight; i++) drafts.Add((await stack.DraftAsync(920_000_000 + i)).OrderId);
        foreach (var order in drafts) await stack.PressStartAsync(order);
        await PipelineLatency.UntilAsync(() => stack.Kie.Tasks.Count - before >= inFlight ? "all" : null, seconds: 300);
        var cpuBefore = Stats.CpuTime(worker.Id);
        var peak = 0.0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            peak = Math.Max(peak, Stats.RssMb(worker.Id));
            await Task.Delay(200);
        }
        var cpu = (Stats.CpuTime(worker.Id) - cpuBefore) / clock.Elapsed;
        Console.WriteLine($"one worker, {inFlight} renders waiting at KIE (polled every 20 s): RSS {peak:F0} MB (idle {idle:F0} MB), CPU {100 * cpu:F1} % of a core over 30 s");
        await stack.ClearQueueAsync();
    }

    private async Task LargeResultAsync()
    {
        var large = await LargeVideoAsync(200);
        stack.Kie.ResultFile = large;
        stack.Kie.Default = new KieScript { RenderMs = 500, Callbacks = 1 };
        var worker = await stack.StartWorkerAsync(new Dictionary<string, string?> { ["Kie:PollSeconds"] = "5" });
        var idle = Stats.RssMb(worker.Id);
        var (user, orderId) = await stack.DraftAsync(930_000_000);
        await stack.PressStartAsync(orderId);
        var peak = idle;
        var delivered = user.Expect(m => m.FromBot && m.Video is not null, TimeSpan.FromMinutes(5));
        while (!delivered.IsCompleted)
        {
            peak = Math.Max(peak, Stats.RssMb(worker.Id));
            await Task.Delay(50);
        }
        await delivered;
        Console.WriteLine($"one {new FileInfo(large).Length / 1_000_000} MB result downloaded, stored, formatted and delivered: worker RSS peak {peak:F0} MB, " +
                          $"{peak - idle:F0} MB over its idle {idle:F0} MB");
        File.Delete(large);
    }

    /// <summary>The test clip with a 'free' box after it: a valid MP4 of the given size (players and ffprobe skip the box).</summary>
    private static async Task<string> LargeVideoAsync(int megabytes)
    {
        var clip = await File.ReadAllBytesAsync(await NeuroCards.Tests.Infrastructure.TestMedia.ResultVideoAsync());
        var path = Path.Combine(Path.GetTempPath(), $"nc-latency-{megabytes}mb-{Guid.NewGuid():N}.mp4");
        await using var file = File.Create(path);
        await file.WriteAsync(clip);
        var padding = megabytes * 1_000_000L - clip.Length;
        var header = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, (uint)padding);
        "free"u8.CopyTo(header.AsSpan(4));
        await file.WriteAsync(header);
        var chunk = new byte[1 << 20];
        for (var left = padding - 8; left > 0; left -= chunk.Length) await file.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)));
        return path;
    }
}
