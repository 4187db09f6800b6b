using NeuroCards.Core.Orders;
using NeuroCards.Tests.Fakes;
using NeuroCards.Worker.Storyboards;
using Telegram.Bot;

namespace NeuroCards.Tests.Worker.Pipeline;

/// <summary>
/// A card video's scenes through KIE (its fake, speaking the real API to the production client): one paid task per
/// scene, each on the books by scene, and a scene that fails once is rendered again alone — the scenes already paid for
/// are never asked for twice, even when the worker assembling the video dies.
/// </summary>
[RunsLong(75)]
public sealed class CardRenderTests : IAsyncLifetime
{
    private readonly WorkerHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task A_scene_that_fails_once_is_rendered_again_alone()
    {
        var storyboard = Storyboard.FromLines(["Керамическая кружка 350 мл", "Держит тепло", "Ручная работа"]);
        var orderId = await ApprovedCardOrderAsync(storyboard);
        var failed = 0;
        // The second scene's first task fails on KIE's side; every other task succeeds.
        h.Kie.ScriptFor = body => body.ToJsonString().Contains(storyboard.Scenes[1].Shot[..20], StringComparison.Ordinal) && Interlocked.Increment(ref failed) == 1
            ? new KieScript { Outcome = "fail", FailCode = "500", FailMsg = "Internal Error, Please try again later." }
            : null;

        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?> { ["Worker:RetryBaseSeconds"] = "0.2" });
        await h.WaitAllFinishedAsync(orderId, seconds: 180);

        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
        Assert.Equal(storyboard.Scenes.Count + 1, h.Kie.CreateCalls);
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        var tasks = (await conn.QueryAsync<(int Scene, int Attempt, string Outcome)>("""
            select k.scene, k.attempt, k.outcome from kie_tasks k join jobs j on j.id = k.job_id where j.order_id = @orderId order by 1, 2
            """, new { orderId })).ToList();
        Assert.Equal([(1, 1, "success"), (2, 1, "fail"), (2, 2, "success"), (3, 1, "success")], tasks);
        Assert.Equal(0, await h.RefundsAsync(orderId));
        // Each scene is asked for (and paid) at its own length with its crossfade, not the model's 10 s.
        var durations = h.Kie.Requests.Where(r => r.Path.EndsWith("createTask", StringComparison.Ordinal))
            .Select(r => r.Body!["input"]!["duration"]!.GetValue<int>()).Distinct().Order().ToList();
        Assert.Equal(storyboard.Scenes.Select(s => (int)Math.Ceiling(s.Seconds + 0.5)).Distinct().Order().ToList(), durations);
        var credits = await conn.ExecuteScalarAsync<decimal>("select sum(credits) from kie_tasks k join jobs j on j.id = k.job_id where j.order_id = @orderId and k.outcome = 'success'", new { orderId });
        Assert.Equal(storyboard.Scenes.Sum(s => Math.Round(250m * (int)Math.Ceiling(s.Seconds + 0.5) / 10, 2)), credits);
    }

    [Fact]
    public async Task A_worker_killed_while_assembling_leaves_a_video_the_next_one_finishes_without_a_new_paid_task()
    {
        var storyboard = Storyboard.FromLines(["Керамическая кружка 350 мл", "Держит тепло", "Ручная работа"]);
        var orderId = await ApprovedCardOrderAsync(storyboard);
        var settings = h.Settings();
        settings["Worker:LeaseSeconds"] = "3";
        var first = ServiceProcess.Start("NeuroCards.Worker", settings);
        try
        {
            // Every clip stored and no video yet: the worker is assembling. It dies there.
            await Eventually.HoldsAsync(async () =>
            {
                await using var conn = await h.Db.DataSource.OpenConnectionAsync();
                return await conn.ExecuteScalarAsync<bool>("""
                    select count(s.clip_key) = @scenes and bool_and(j.result_key is null)
                    from jobs j join job_scenes s on s.job_id = j.id where j.order_id = @orderId
                    """, new { orderId, scenes = storyboard.Scenes.Count });
            }, seconds: 120, pollMilliseconds: 20);
            first.Kill();
        }
        finally
        {
            await first.DisposeAsync();
        }
        Assert.Equal(storyboard.Scenes.Count, h.Kie.CreateCalls);

        await using var second = ServiceProcess.Start("NeuroCards.Worker", settings);
        await h.WaitAllFinishedAsync(orderId, seconds: 120);

        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
        Assert.Equal(storyboard.Scenes.Count, h.Kie.CreateCalls); // the clips paid for once
        var (_, messages) = await h.Telegram.TranscriptAsync(await UserOfAsync(orderId));
        var video = Assert.Single(messages, m => m.Video is not null);
        Assert.InRange(video.Video!["duration"]!.GetValue<int>(), 15, 30);
    }

    private async Task<long> UserOfAsync(Guid orderId)
    {
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<long>("select user_id from orders where id = @orderId", new { orderId });
    }

    /// <summary>A card order as «🚀 Делаем» leaves it: its preview ready (storyboard and stills stored), charged, queued.</summary>
    private async Task<Guid> ApprovedCardOrderAsync(Storyboard storyboard)
    {
        var (user, orderId, _) = (await h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru"), Guid.Empty, 0);
        await h.Db.Ledger.EnsureUserAsync(user.Id, null, "Анна", "ru");
        await h.Db.Ledger.GrantAsync(user.Id, 10, "test", 1);
        orderId = await TestData.DraftOrderAsync(h.Db.DataSource, user.Id, 1, "card");
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        var photoKey = await conn.ExecuteScalarAsync<string>("select photo_key from orders where id = @orderId", new { orderId });
        var photo = await TestMedia.PhotoAsync();
        await h.Storage.Store.PutAsync(photoKey!, new MemoryStream(photo), "image/jpeg");
        var stills = Enumerable.Range(1, storyboard.Scenes.Count).Select(i => $"previews/test/{orderId}-{i}.jpg").ToArray();
        foreach (var key in stills) await h.Storage.Store.PutAsync(key, new MemoryStream(photo), "image/jpeg");
        var progress = await h.Bot.SendMessage(user.Id, "⏳ Заказ принят");
        await conn.ExecuteAsync("""
            update orders set status_message_id = @id, format = 'card' where id = @orderId;
            insert into card_previews (order_id, user_id, chat_id, state, storyboard, scenes, keyframe_keys)
            values (@orderId, @userId, @userId, 'ready', @storyboard::jsonb, @scenes, @stills);
            """, new { id = progress.MessageId, orderId, userId = user.Id, storyboard = storyboard.ToJson(), scenes = storyboard.Scenes.Count, stills });
        Assert.IsType<ConfirmOrderResult.Confirmed>(await h.Db.Orders.ConfirmAsync(orderId, storyboard.Scenes.Count));
        return orderId;
    }
}
