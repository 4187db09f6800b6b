using NeuroCards.Tests.Fakes;

namespace NeuroCards.Latency;

/// <summary>
/// One order at a time through an idle worker: "🚀 Start" (the charge-and-enqueue transaction committed) → KIE's fake
/// receives createTask; KIE's callback sent → the video reaches Telegram (the emulator stamps it when the upload has
/// arrived). KIE's poll is set to 30 s, so the video comes through the callback path.
/// </summary>
public sealed class PipelineLatency(Stack stack)
{
    public async Task RunAsync(int orders)
    {
        stack.Kie.Default = new KieScript { RenderMs = 1000, Callbacks = 1 };
        await stack.StartWorkerAsync(new Dictionary<string, string?> { ["Kie:PollSeconds"] = "30", ["Worker:PollSeconds"] = "5" });
        var toCreate = new List<double>();
        var toVideo = new List<double>();
        for (var i = 0; i < orders; i++)
        {
            var (user, orderId) = await stack.DraftAsync(910_000_000 + i);
            var before = stack.Kie.Tasks.Keys.ToHashSet();
            var pressed = DateTime.UtcNow;
            await stack.PressStartAsync(orderId);
            var task = await UntilAsync(() => stack.Kie.Tasks.Values.FirstOrDefault(t => !before.Contains(t.Id)));
            toCreate.Add((task.CreatedAt - pressed).TotalMilliseconds);
            var video = await user.Expect(m => m.FromBot && m.Video is not null, TimeSpan.FromSeconds(60));
            var callback = await UntilAsync(() => task.CallbackSentAt) ?? throw new InvalidOperationException("no callback");
            toVideo.Add(video.ArrivedAtMs - new DateTimeOffset(callback).ToUnixTimeMilliseconds());
        }
        Console.WriteLine($"\"🚀 Start\" → createTask received, {orders} orders: p50 {Stats.Percentile(toCreate, 0.5):F0} ms, p95 {Stats.Percentile(toCreate, 0.95):F0} ms");
        Console.WriteLine($"KIE callback → sendVideo received, {orders} orders: p50 {Stats.Percentile(toVideo, 0.5):F0} ms, p95 {Stats.Percentile(toVideo, 0.95):F0} ms");
    }

    public static async Task<T> UntilAsync<T>(Func<T?> probe, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("waited too long");
            await Task.Delay(2);
        }
    }
}
