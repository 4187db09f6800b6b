using NeuroCards.Core.Money;
using NeuroCards.Core.Queue;
using NeuroCards.Tests.Fakes;

namespace NeuroCards.Tests.Worker.Pipeline;

[RunsLong(90)]
public sealed class PipelineTests : IAsyncLifetime
{
    private readonly WorkerHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task Three_videos_are_rendered_through_kie_and_arrive_playable_with_their_metadata()
    {
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, jobs) = await h.PlaceOrderAsync(count: 3);

        await h.WaitAllFinishedAsync(orderId);

        Assert.All((await h.JobsAsync(orderId)).Values, j => Assert.Equal("delivered", j.Status));
        var videos = (await user.Transcript()).Where(m => m.Video is not null).ToList();
        Assert.Equal(3, videos.Count);
        foreach (var video in videos)
        {
            Assert.Equal(720, video.Video!["width"]!.GetValue<int>());
            Assert.Equal(1280, video.Video["height"]!.GetValue<int>());
            Assert.Equal(10, video.Video["duration"]!.GetValue<int>());
            Assert.NotNull(video.Video["thumbnail"]);
            Assert.True(video.Json["supports_streaming"]!.GetValue<bool>());
            Assert.Empty(video.Buttons); // one set of buttons for the whole order, below
            var bytes = await h.Telegram.DownloadAsync(video.Video["file_id"]!.GetValue<string>());
            Assert.Equal(await File.ReadAllBytesAsync(await TestMedia.ResultVideoAsync()), bytes);
        }
        Assert.Equal(3, h.Kie.CreateCalls);
        // One prompt per video, each a different variant, cleaned of the model's quotes and fences.
        Assert.Equal(3, h.OpenAi.Requests.Count);
        Assert.Equal(3, h.OpenAi.Requests.Select(r => r["messages"]![1]!["content"]!.GetValue<string>()).Distinct().Count());
        Assert.All(h.OpenAi.Requests, r =>
        {
            var user = r["messages"]![1]!["content"]!.GetValue<string>();
            Assert.Contains("Керамическая кружка 350 мл", user);
            Assert.Contains("уютная кухня", user);
        });
        Assert.All(h.Kie.Tasks.Values, t => Assert.StartsWith("A cheerful woman", t.Body["input"]!["prompt"]!.GetValue<string>()));
        var progress = await user.Expect("Всё готово");
        Assert.Contains("Готово: 3", progress.Text);
        var closing = await user.Expect("Готово: 3 видео");
        Assert.True(closing.HasButton("Ещё с этим товаром") && closing.HasButton("Меню"));
        Assert.Single(await user.Transcript(), m => m.HasButton("Ещё с этим товаром"));
        Assert.Equal(["Видео 1 из 3", "Видео 2 из 3", "Видео 3 из 3"], videos.Select(v => v.Text.Split('\n')[0].Replace("🎬 ", "")).Order());
        Assert.Equal(0, await h.RefundsAsync(orderId));
    }

    [Fact]
    public async Task An_english_seller_with_one_video_reads_it_in_the_singular()
    {
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, _) = await h.PlaceOrderAsync(count: 1, language: "en");

        await h.WaitAllFinishedAsync(orderId);

        await user.Expect("Your video is below");
        var closing = await user.Expect("Done: 1 video!");
        Assert.True(closing.HasButton("One more with this product"));
        Assert.Contains("Your video", Assert.Single(await user.Transcript(), m => m.Video is not null).Text);
    }

    [Fact]
    public async Task When_the_first_video_renders_slowest_the_three_still_arrive_in_their_order()
    {
        // The model's prompt names its variant; KIE renders variant 1 slowly and the others at once.
        h.OpenAi.Answer = request =>
        {
            var user = request["messages"]![1]!["content"]!.GetValue<string>();
            return "A cheerful woman shows the mug, variant " + System.Text.RegularExpressions.Regex.Match(user, @"Вариант (\d)").Groups[1].Value;
        };
        h.Kie.ScriptFor = body => body["input"]!["prompt"]!.GetValue<string>().EndsWith("variant 1") ? new KieScript { RenderMs = 3000 } : new KieScript { RenderMs = 100 };
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, _) = await h.PlaceOrderAsync(count: 3);

        await h.WaitAllFinishedAsync(orderId);

        var videos = (await user.Transcript()).Where(m => m.Video is not null).Select(m => m.Text.Split('\n')[0].Replace("🎬 ", "")).ToList();
        Assert.Equal(["Видео 1 из 3", "Видео 2 из 3", "Видео 3 из 3"], videos);
        Assert.Equal(0, await h.RefundsAsync(orderId));
    }

    [Fact]
    public async Task A_moderation_failure_refunds_once_and_says_what_to_change()
    {
        h.Kie.Default = new KieScript { Outcome = "fail", FailCode = "400", FailMsg = "Your image contains a real person (public figure). Content policy violation." };
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, jobs) = await h.PlaceOrderAsync(count: 1, credits: 0);

        await h.WaitAllFinishedAsync(orderId);

        var job = Assert.Single(await h.JobsAsync(orderId)).Value;
        Assert.Equal(("failed", "moderation"), job);
        Assert.Equal(1, await h.RefundsAsync(orderId));
        Assert.Equal(Ledger.SignUpBonus, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        var message = await user.Expect("модерация");
        Assert.StartsWith("😔 Видео не получилось.", message.Text); // one video: singular
        Assert.Contains("без людей", message.Text);
        Assert.Contains("Вернула 1 кредит, на балансе 2 кредита.", message.Text);
        Assert.True(message.HasButton("Попробовать снова") && message.HasButton("Меню"));
        Assert.Equal(1, h.Kie.CreateCalls);
    }

    [Fact]
    public async Task A_key_out_of_balance_rests_and_the_other_key_renders()
    {
        h.Kie.Enqueue(new KieScript { CreateCodeForKey = new() { ["key-a"] = 402 } }, new KieScript { CreateCodeForKey = new() { ["key-a"] = 402 } });
        await using var worker = await h.StartWorkerAsync();
        var (_, orderId, _) = await h.PlaceOrderAsync();

        await h.WaitAllFinishedAsync(orderId);

        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
        var task = Assert.Single(h.Kie.Tasks.Values);
        Assert.Equal("key-b", task.Key);
        // Status was asked with the key that created the task.
        Assert.All(h.Kie.Requests.Where(r => r.Path.EndsWith("recordInfo", StringComparison.Ordinal)), r => Assert.Equal("key-b", r.Key));
    }

    [Fact]
    public async Task When_every_key_is_out_of_balance_the_job_fails_on_our_side_without_blaming_the_user()
    {
        h.Kie.ValidKeys.Clear();
        var operatorId = TestData.NewUserId();
        var admin = await h.Telegram.UserAsync(operatorId, "Operator", "ru");
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?> { ["Telegram:AdminIds"] = operatorId.ToString() });
        var (user, orderId, _) = await h.PlaceOrderAsync();

        await h.WaitAllFinishedAsync(orderId);

        Assert.Equal(("failed", "our_side"), Assert.Single(await h.JobsAsync(orderId)).Value);
        Assert.Equal(1, await h.RefundsAsync(orderId));
        var message = await user.Expect("техническая проблема");
        Assert.Contains("ни при чём", message.Text); // never blame the user, and guess no gender
        await admin.Expect("failed on our side"); // operators are alerted
    }

    [Fact]
    public async Task A_bad_photo_url_fails_as_a_bad_request_and_is_refunded()
    {
        h.Kie.Default = new KieScript { CreateCode = 422 };
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, _) = await h.PlaceOrderAsync();

        await h.WaitAllFinishedAsync(orderId);

        Assert.Equal(("failed", "bad_request"), Assert.Single(await h.JobsAsync(orderId)).Value);
        Assert.Equal(1, await h.RefundsAsync(orderId));
        await user.Expect("другое фото");
    }

    [Fact]
    public async Task A_photo_kie_could_not_fetch_once_is_tried_again_and_the_video_arrives()
    {
        // Our media host was restarting: KIE could not fetch the photo. The seller's photo is fine (it was decoded on upload).
        h.Kie.Enqueue(new KieScript { CreateCode = 422, CreateMsg = "image fetch failed" });
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, _) = await h.PlaceOrderAsync();

        await RunWithTimeTravelAsync(orderId);

        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
        Assert.Equal(2, h.Kie.CreateCalls);
        Assert.Equal(0, await h.RefundsAsync(orderId));
        Assert.DoesNotContain(await user.Transcript(), m => m.Contains("другое фото"));
    }

    [Fact]
    public async Task A_photo_kie_can_never_fetch_ends_as_a_bad_request_after_the_attempts()
    {
        h.Kie.Default = new KieScript { CreateCode = 422, CreateMsg = "image fetch failed" };
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, _) = await h.PlaceOrderAsync();

        await RunWithTimeTravelAsync(orderId);

        Assert.Equal(("failed", "bad_request"), Assert.Single(await h.JobsAsync(orderId)).Value);
        Assert.Equal(3, h.Kie.CreateCalls);
        Assert.Equal(1, await h.RefundsAsync(orderId));
        await user.Expect("другое фото");
    }

    [Fact]
    public async Task A_busy_provider_is_retried_later_and_the_video_still_arrives()
    {
        h.Kie.Enqueue(new KieScript { CreateCode = 455 }, new KieScript { CreateHttpStatus = 503 });
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?> { ["Kie:MaxAttempts"] = "3" });
        var (_, orderId, jobs) = await h.PlaceOrderAsync();

        // Backoff is 30 s then 60 s in production; shorten by moving not_before as time would.
        await RunWithTimeTravelAsync(orderId);

        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
        Assert.Equal(3, h.Kie.CreateCalls);
        Assert.Equal(0, await h.RefundsAsync(orderId));
    }

    [Fact]
    public async Task Three_videos_failing_alike_get_one_message_with_the_reason_and_the_refund_stated_once()
    {
        h.Kie.Default = new KieScript { CreateCode = 422 };
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, _) = await h.PlaceOrderAsync(count: 3, credits: 3);

        await h.WaitAllFinishedAsync(orderId);
        var message = await user.Expect("другое фото");
        await Task.Delay(500); // nothing more comes

        Assert.Equal(3, await h.RefundsAsync(orderId));
        var failures = (await user.Transcript()).Where(m => m.Contains("другое фото")).ToList();
        Assert.Single(failures);
        Assert.StartsWith("😔 Не получилось ни одно из 3 видео.", message.Text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(message.Text, "Вернула"));
        Assert.Contains("Вернула 3 кредита, на балансе 5 кредитов.", message.Text); // 2 sign-up + 3 granted
        Assert.DoesNotContain("перегружена", message.Text); // a photo problem is not a busy provider
        Assert.True(message.HasButton("Попробовать снова"));
    }

    [Fact]
    public async Task A_provider_failure_is_retried_up_to_the_limit_then_refunded_once()
    {
        h.Kie.Default = new KieScript { Outcome = "fail", FailCode = "500", FailMsg = "internal error, please try again" };
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?> { ["Kie:MaxAttempts"] = "2" });
        var (user, orderId, _) = await h.PlaceOrderAsync();

        await RunWithTimeTravelAsync(orderId);

        Assert.Equal(("failed", "temporary"), Assert.Single(await h.JobsAsync(orderId)).Value);
        Assert.Equal(2, h.Kie.CreateCalls);
        Assert.Equal(1, await h.RefundsAsync(orderId));
        await user.Expect("перегружена");
    }

    [Fact]
    public async Task A_task_that_never_finishes_times_out_after_one_last_check()
    {
        h.Kie.Default = new KieScript { RenderMs = 600_000, Callbacks = 0 };
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?> { ["Kie:DeadlineMinutes"] = "1" });
        var (user, orderId, jobs) = await h.PlaceOrderAsync();
        await h.WaitForJobsAsync(orderId, _ => h.Kie.Tasks.Count == 1);
        await using (var conn = await h.Db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("update jobs set render_deadline = now() + interval '2 seconds' where order_id = @orderId", new { orderId });
        }

        await h.WaitAllFinishedAsync(orderId);

        Assert.Equal(("failed", "timeout"), Assert.Single(await h.JobsAsync(orderId)).Value);
        Assert.Equal(1, await h.RefundsAsync(orderId));
        await user.Expect("не успело сделаться вовремя");
    }

    [Fact]
    public async Task A_callback_wakes_the_job_at_once_and_a_repeated_one_changes_nothing()
    {
        // Polling every 60 s: only the callback can make this fast.
        h.Kie.Default = new KieScript { Callbacks = 2 };
        await using var bot = await CallbackReceiver.StartAsync(h.Db.DataSource);
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?>
        {
            ["Kie:PollSeconds"] = "60",
            ["Kie:CallbackBaseUrl"] = bot.Url,
        });
        var (_, orderId, _) = await h.PlaceOrderAsync();

        await h.WaitAllFinishedAsync(orderId, seconds: 30);

        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
        Assert.True(bot.Received >= 1);
        Assert.Equal(1, h.Kie.CreateCalls);
    }

    [Fact]
    public async Task When_openai_refuses_the_region_the_template_fallback_is_used_and_an_ad_never_gets_a_person()
    {
        h.OpenAi.Mode = "region";
        await using var worker = await h.StartWorkerAsync();
        var (_, orderId, _) = await h.PlaceOrderAsync(template: "ad");

        await h.WaitAllFinishedAsync(orderId);

        var prompt = Assert.Single(h.Kie.Tasks.Values).Body["input"]!["prompt"]!.GetValue<string>();
        Assert.Contains("no people", prompt);
        Assert.Contains("Керамическая кружка 350 мл", prompt);
        Assert.Contains("уютная кухня", prompt); // the seller's wishes survive the fallback
        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
    }

    [Fact]
    public async Task Without_the_model_three_videos_of_one_order_still_get_three_different_prompts_each_with_the_wishes()
    {
        h.OpenAi.Mode = "region";
        await using var worker = await h.StartWorkerAsync();
        var (_, orderId, _) = await h.PlaceOrderAsync(count: 3, template: "ugc");

        await h.WaitAllFinishedAsync(orderId);

        var prompts = h.Kie.Tasks.Values.Select(t => t.Body["input"]!["prompt"]!.GetValue<string>()).ToList();
        Assert.Equal(3, prompts.Count);
        Assert.Equal(3, prompts.Distinct().Count());
        Assert.All(prompts, p => Assert.Contains("уютная кухня", p));
    }

    [Fact]
    public async Task An_own_prompt_goes_to_the_provider_as_written_without_asking_the_model()
    {
        await using var worker = await h.StartWorkerAsync();
        var (_, orderId, _) = await h.PlaceOrderAsync(template: "custom");

        await h.WaitAllFinishedAsync(orderId);

        Assert.Empty(h.OpenAi.Requests);
        Assert.Equal("A mug on a table, slow dolly in", Assert.Single(h.Kie.Tasks.Values).Body["input"]!["prompt"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_local_provider_renders_real_vertical_mp4s_with_a_voice_a_different_one_for_each_video_of_the_order()
    {
        await using var worker = await h.StartWorkerAsync(provider: "Local");
        var (user, orderId, jobs) = await h.PlaceOrderAsync(count: 3);

        await h.WaitAllFinishedAsync(orderId, seconds: 120);

        var videos = (await user.Transcript()).Where(m => m.Video is not null).Select(m => m.Video!).ToList();
        Assert.Equal(3, videos.Count);
        var hashes = new HashSet<string>();
        foreach (var video in videos)
        {
            var bytes = await h.Telegram.DownloadAsync(video["file_id"]!.GetValue<string>());
            hashes.Add(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)));
            var file = Path.Combine(Path.GetTempPath(), $"nc-local-{Guid.NewGuid():N}.mp4");
            await File.WriteAllBytesAsync(file, bytes);
            var probe = await TestMedia.ProbeAsync(file);
            // Its voice over the music, mixed as loud as players expect: -16 LUFS, true peak under -1 dBTP.
            var (integrated, peak) = await Tools.LoudnessAsync(file);
            File.Delete(file);
            Assert.InRange(integrated, -17, -15);
            Assert.True(peak <= -1, $"true peak {peak} dBTP");
            Assert.Equal((720, 1280, "h264"), (probe.Width, probe.Height, probe.Codec));
            Assert.InRange(probe.Duration, 9.5, 10.5);
            Assert.Equal(10, video["duration"]!.GetValue<int>());
        }
        Assert.Equal(3, hashes.Count); // three videos, not one file three times
        Assert.Equal(0, h.Kie.CreateCalls);
    }

    [Fact]
    public async Task A_failed_upload_is_retried_and_never_refunded()
    {
        await h.Telegram.InjectFaultAsync("sendVideo", "500", count: 1);
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, jobs) = await h.PlaceOrderAsync();

        await RunWithTimeTravelAsync(orderId);

        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
        Assert.Equal(1, (await h.Db.Queue.GetAsync(jobs[0]))!.DeliveryAttempt);
        Assert.Equal(0, await h.RefundsAsync(orderId));
        Assert.Single(await user.Transcript(), m => m.Video is not null);
        Assert.Equal(1, h.Kie.CreateCalls); // the video was not made again
    }

    [Fact]
    public async Task A_user_who_blocked_the_bot_keeps_the_video_and_is_not_refunded()
    {
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, jobs) = await h.PlaceOrderAsync();
        await user.Block();

        await h.WaitAllFinishedAsync(orderId);

        var job = (await h.Db.Queue.GetAsync(jobs[0]))!;
        Assert.Equal(JobStatus.Undeliverable, job.Status);
        Assert.NotNull(job.ResultKey);
        Assert.True(await h.Storage.Store.ExistsAsync(job.ResultKey!));
        Assert.Equal(0, await h.RefundsAsync(orderId));
    }

    /// <summary>Runs until the order finishes, moving each rescheduled job's not-before to now (as the clock would).</summary>
    private async Task RunWithTimeTravelAsync(Guid orderId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await using (var conn = await h.Db.DataSource.OpenConnectionAsync())
            {
                await conn.ExecuteAsync("update jobs set not_before = now() where order_id = @orderId and status = 'queued' and not_before > now()", new { orderId });
            }
            var jobs = await h.JobsAsync(orderId);
            if (jobs.Values.All(j => j.Status is "delivered" or "failed")) return;
            await Task.Delay(200);
        }
        throw new TimeoutException("order did not finish");
    }
}
