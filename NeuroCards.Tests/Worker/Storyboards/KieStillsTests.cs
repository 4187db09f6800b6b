using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Cards;
using NeuroCards.Tests.Fakes;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.Worker.Storyboards;

/// <summary>
/// With KIE, the preview's stills are drawn by its image edit model from the seller's photo (through the KIE fake, which
/// refuses what KIE refuses): asked in the order's frame, their cost on the books before they are asked for and counted
/// toward the seller's day, and a still KIE fails to draw replaced by ffmpeg's, so the preview still comes.
/// </summary>
public sealed class KieStillsTests : IAsyncLifetime
{
    private readonly WorkerHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task The_stills_are_drawn_by_KIE_and_a_failed_one_falls_back_to_ffmpeg()
    {
        var (user, orderId, photoKey) = await DraftCardOrderAsync();
        var userId = user.Id;
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        // The second scene's still fails on KIE's side.
        h.Kie.ScriptFor = body => body["model"]?.GetValue<string>() == "google/nano-banana-edit"
                                  && body.ToJsonString().Contains("Close-up of the prod", StringComparison.Ordinal)
            ? new KieScript { Outcome = "fail", FailCode = "500", FailMsg = "Internal Error" }
            : null;
        var previews = new CardPreviews(h.Db.Db, Options.Create(new CardVideoOptions()), TimeProvider.System);
        Assert.Equal(PreviewRequest.Requested, await previews.RequestAsync(orderId, userId, userId, null, false, CancellationToken.None));

        await using var worker = await h.StartWorkerAsync();
        var preview = await Eventually.ValueAsync(() => previews.GetAsync(orderId, CancellationToken.None),
            p => p?.State is CardPreviewState.Ready or CardPreviewState.Failed, seconds: 60);

        Assert.Equal(CardPreviewState.Ready, preview!.State);
        var asked = h.Kie.Requests.Where(r => r.Body?["model"]?.GetValue<string>() == "google/nano-banana-edit").Select(r => r.Body!["input"]!).ToList();
        Assert.Equal(3, asked.Count);
        Assert.Single(h.Kie.Tasks.Values, t => t.Script.Outcome == "fail");
        Assert.All(asked, input =>
        {
            Assert.Equal("3:4", input["aspect_ratio"]!.GetValue<string>());
            Assert.Contains("keep the product exactly as it is", input["prompt"]!.GetValue<string>());
        });
        // Three stills by the price list, on the books whatever KIE then did.
        Assert.Equal(3 * 4m, await conn.ExecuteScalarAsync<decimal>("select sum(kie_credits) from card_preview_makings where order_id = @orderId", new { orderId }));
        // Every scene has its still (the failed one is ffmpeg's), in the card's frame, and the album shows them.
        Assert.Equal(3, preview.KeyframeKeys!.Length);
        foreach (var key in preview.KeyframeKeys)
        {
            await using var still = await h.Storage.Store.OpenReadAsync(key);
            var file = Path.Combine(Path.GetTempPath(), $"nc-still-{Guid.NewGuid():N}.jpg");
            await using (var copy = File.Create(file)) await still!.Content.CopyToAsync(copy);
            var size = (await Tools.RunAsync("ffprobe", $"-v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 {file}")).Output.Trim();
            File.Delete(file);
            Assert.Equal("810,1080", size);
        }
        Assert.Equal(3, (await user.Transcript()).Count(m => m.FromBot && m.MediaGroupId is not null));
        Assert.Contains(await user.Transcript(), m => m.HasButton("Делаем"));
    }

    [Fact]
    public async Task A_preview_whose_maker_died_waits_for_the_stills_already_asked_for()
    {
        var (user, orderId, photoKey) = await DraftCardOrderAsync();
        var userId = user.Id;
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        // A worker asked KIE for the three stills, wrote the tasks down and died: its lease ran out.
        var storyboard = NeuroCards.Worker.Storyboards.Storyboard.FromLines(["Керамическая кружка 350 мл", "Держит тепло", "Ручная работа"]);
        var photoUrl = await h.Storage.Store.GetSignedUrlAsync(photoKey, TimeSpan.FromHours(1));
        using var http = new HttpClient { BaseAddress = new Uri(h.Kie.Url) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "key-a");
        var tasks = new System.Text.Json.Nodes.JsonArray();
        for (var scene = 0; scene < 3; scene++)
        {
            var created = await http.PostAsJsonAsync("/api/v1/jobs/createTask", new
            {
                model = "google/nano-banana-edit",
                input = new { prompt = storyboard.Scenes[scene].Shot, image_urls = new[] { photoUrl.ToString() }, aspect_ratio = "3:4" },
            });
            var taskId = (await created.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["data"]!["taskId"]!.GetValue<string>();
            tasks.Add(new System.Text.Json.Nodes.JsonObject { ["scene"] = scene, ["taskId"] = taskId, ["keyId"] = "key-a" });
        }
        await conn.ExecuteAsync("""
            insert into card_previews (order_id, user_id, chat_id, state, storyboard, lease_token, locked_until, updated_at)
            values (@orderId, @userId, @userId, 'making', @storyboard::jsonb, gen_random_uuid(), now() - interval '1 minute', now() - interval '5 minutes');
            insert into card_preview_makings (order_id, user_id, kie_credits, still_tasks) values (@orderId, @userId, 12, @tasks::jsonb);
            """, new { orderId, userId, storyboard = storyboard.ToJson(), tasks = tasks.ToJsonString() });

        await using var worker = await h.StartWorkerAsync();
        var previews = new CardPreviews(h.Db.Db, Options.Create(new CardVideoOptions()), TimeProvider.System);
        var preview = await Eventually.ValueAsync(() => previews.GetAsync(orderId, CancellationToken.None),
            p => p?.State is CardPreviewState.Ready or CardPreviewState.Failed, seconds: 60);

        Assert.Equal(CardPreviewState.Ready, preview!.State);
        Assert.Equal(3, h.Kie.CreateCalls); // the dead worker's three, none again
        Assert.Equal(12m, await conn.ExecuteScalarAsync<decimal>("select sum(kie_credits) from card_preview_makings where order_id = @orderId", new { orderId }));
        Assert.Equal(3, (await user.Transcript()).Count(m => m.FromBot && m.MediaGroupId is not null));
    }

    /// <summary>A seller's card video draft in the card's frame, its photo stored: what the preview is made from.</summary>
    private async Task<(EmulatorUser User, Guid OrderId, string PhotoKey)> DraftCardOrderAsync()
    {
        var userId = TestData.NewUserId();
        var user = await h.Telegram.UserAsync(userId, "Анна", "ru");
        await h.Db.Ledger.EnsureUserAsync(userId, null, "Анна", "ru");
        var orderId = await TestData.DraftOrderAsync(h.Db.DataSource, userId, 1, "card");
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        var photoKey = await conn.ExecuteScalarAsync<string>("update orders set format = 'card' where id = @orderId returning photo_key", new { orderId });
        await h.Storage.Store.PutAsync(photoKey!, new MemoryStream(await TestMedia.PhotoAsync()), "image/jpeg");
        return (user, orderId, photoKey!);
    }
}
