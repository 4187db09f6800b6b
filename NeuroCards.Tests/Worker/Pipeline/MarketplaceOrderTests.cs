using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Tests.Fakes;
using NeuroCards.Worker.Media;

namespace NeuroCards.Tests.Worker.Pipeline;

/// <summary>
/// Orders in each frame format, with and without captions, through the whole worker: the bytes the seller receives pass
/// the marketplace check (ffprobe on the delivered file), and the caption says where they fit.
/// </summary>
[RunsLong(75)]
public sealed class MarketplaceOrderTests : IAsyncLifetime
{
    private readonly WorkerHarness h = new();
    private readonly Ffmpeg _ffmpeg = new(NullLogger<Ffmpeg>.Instance);

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task Every_format_with_and_without_captions_delivers_a_file_the_marketplaces_accept()
    {
        await using var worker = await h.StartWorkerAsync();
        var orders = new List<(string Format, bool Captions, int Width, int Height, Guid OrderId, Tests.TelegramEmulator.Client.EmulatorUser User)>();
        foreach (var (format, width, height) in new[] { ("vertical", 720, 1280), ("card", 810, 1080), ("square", 1080, 1080) })
            foreach (var captions in new[] { false, true })
            {
                var (user, orderId, _) = await h.PlaceOrderAsync(format: format, captions: captions);
                orders.Add((format, captions, width, height, orderId, user));
            }

        foreach (var order in orders)
        {
            await h.WaitAllFinishedAsync(order.OrderId, seconds: 120);
            var video = Assert.Single(await order.User.Transcript(), m => m.Video is not null);
            var file = Path.Combine(Path.GetTempPath(), $"nc-delivered-{Guid.NewGuid():N}.mp4");
            await File.WriteAllBytesAsync(file, await h.Telegram.DownloadAsync(video.Video!["file_id"]!.GetValue<string>()));
            try
            {
                var info = await _ffmpeg.ProbeAsync(file, CancellationToken.None);
                Assert.Empty(MarketplaceCheck.Problems(info.Facts));
                Assert.Equal((order.Width, order.Height), (info.Width, info.Height));
                Assert.Contains("Подходит: Wildberries, Ozon", video.Text);
            }
            finally
            {
                File.Delete(file);
            }
            await using var conn = await h.Db.DataSource.OpenConnectionAsync();
            var lines = await conn.ExecuteScalarAsync<string[]?>("select caption_lines from jobs where order_id = @OrderId", new { order.OrderId });
            if (order.Captions) Assert.Equal("Керамическая кружка 350 мл, ручная работа", Assert.Single(lines!));
            else Assert.Null(lines);
        }
    }

    [Fact]
    public async Task A_clip_shorter_than_8_s_is_extended_never_rejected()
    {
        var shortClip = await TestMedia.MakeAsync("short-result.mp4",
            "-f lavfi -i testsrc2=size=720x1280:rate=30 -t 4 -c:v libx264 -preset ultrafast -crf 35 -pix_fmt yuv420p");
        h.Kie.Default = new KieScript { ResultFile = shortClip };
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, _) = await h.PlaceOrderAsync();

        await h.WaitAllFinishedAsync(orderId, seconds: 120);

        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
        var video = Assert.Single(await user.Transcript(), m => m.Video is not null);
        Assert.InRange(video.Video!["duration"]!.GetValue<int>(), 8, 10);
        Assert.Equal(0, await h.RefundsAsync(orderId));
    }

    [Fact]
    public async Task The_model_writes_the_captions_and_a_forbidden_line_never_reaches_the_video()
    {
        h.OpenAi.Answer = _ => "A slow dolly-in on the mug on a kitchen table, vertical.\nCAPTIONS:\nКружка «Морской бриз»\n"
                               + "- Хит продаж: держит тепло 6 часов\n- Скидка 30% только сегодня\n- Пишите в WhatsApp\n- Можно в посудомойку";
        await using var worker = await h.StartWorkerAsync();
        var (_, orderId, _) = await h.PlaceOrderAsync(template: "ad", format: "card");

        await h.WaitAllFinishedAsync(orderId, seconds: 120);

        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        var job = await conn.QuerySingleAsync<(string FinalPrompt, string[] Lines)>(
            "select final_prompt, caption_lines from jobs where order_id = @orderId", new { orderId });
        Assert.Equal(["Кружка «Морской бриз»", "Держит тепло 6 часов", "Можно в посудомойку"], job.Lines);
        Assert.DoesNotContain("CAPTIONS", job.FinalPrompt);
        // The model was asked for the captions in the same request as the prompt.
        Assert.Contains("CAPTIONS:", Assert.Single(h.OpenAi.Requests)["messages"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_model_that_renders_the_format_natively_is_asked_for_it()
    {
        await using var worker = await h.StartWorkerAsync();
        var (_, orderId, _) = await h.PlaceOrderAsync(model: "seedance-2", format: "card");

        await h.WaitAllFinishedAsync(orderId, seconds: 120);

        var input = Assert.Single(h.Kie.Tasks.Values).Body["input"]!;
        Assert.Equal("3:4", input["aspect_ratio"]!.GetValue<string>());
        Assert.Equal(10, input["duration"]!.GetValue<int>());
    }
}
