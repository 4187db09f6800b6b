using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NeuroCards.Tests.Bot.Conversation;

public sealed class DemoAlbumTests : IAsyncLifetime
{
    private readonly BotHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task After_consent_the_demo_videos_arrive_as_one_album_then_the_welcome_and_the_menu()
    {
        // Demo videos are Telegram file_ids (an admin gets them by sending the videos to the bot).
        var uploader = new TelegramBotClient(new TelegramBotClientOptions(h.Token, h.Emulator.BaseUrl));
        var owner = await h.Telegram.UserAsync(TestData.NewUserId(), "Owner", "ru");
        var demos = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var sent = await uploader.SendVideo(owner.Id, InputFile.FromStream(new MemoryStream(new byte[1000 + i]), $"demo{i}.mp4"));
            demos.Add(sent.Video!.FileId);
        }
        h.Overrides["Bot:DemoVideoFileIds"] = string.Join(",", demos);
        await h.StartBotAsync();

        var user = await h.OnboardedUserAsync();

        var transcript = (await user.Transcript()).Where(m => m.FromBot).ToList();
        var album = transcript.Where(m => m.MediaGroupId is not null).ToList();
        Assert.Equal(2, album.Count);
        Assert.Single(album.Select(m => m.MediaGroupId).Distinct());
        Assert.Equal(demos, album.Select(m => m.Video!["file_id"]!.GetValue<string>()));
        var welcome = transcript.FindIndex(m => m.Contains("в подарок"));
        Assert.True(welcome > transcript.IndexOf(album[^1]));
        Assert.Contains("Главное меню", transcript[^1].Text);
    }

    [Fact]
    public async Task Demo_videos_telegram_no_longer_has_do_not_stop_a_new_user_from_accepting_the_terms()
    {
        h.Overrides["Bot:DemoVideoFileIds"] = "BAACAgIAAxkBAAStale1,BAACAgIAAxkBAAStale2";
        await h.StartBotAsync();

        var user = await h.OnboardedUserAsync();

        var transcript = (await user.Transcript()).Where(m => m.FromBot).ToList();
        Assert.Contains(transcript, m => m.Contains("в подарок"));
        Assert.Contains("Главное меню", transcript[^1].Text);
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        Assert.True(await conn.ExecuteScalarAsync<bool>("select consent_at is not null from users where id = @Id", new { user.Id }));
    }

    [Fact]
    public async Task With_no_demo_videos_configured_an_offline_worker_makes_a_sample_and_new_users_see_it_before_paying_uploaded_once()
    {
        await h.StartBotAsync();
        var before = await h.OnboardedUserAsync();
        Assert.DoesNotContain(await before.Transcript(), m => m.Video is not null); // no sample yet: nothing, no error

        // A worker with the offline renderer makes the sample once, in the shared storage.
        await RunWorkerUntilAsync("Local", async () => await h.Storage.Store.ExistsAsync(NeuroCards.Core.Storage.MediaKeys.DemoSample));

        var user = await h.OnboardedUserAsync();
        var transcript = (await user.Transcript()).Where(m => m.FromBot).ToList();
        var sample = Assert.Single(transcript, m => m.Video is not null);
        Assert.Contains("Пример", sample.Text);
        Assert.True(transcript.IndexOf(sample) < transcript.FindIndex(m => m.Contains("в подарок"))); // before the welcome and any payment
        var file = Path.Combine(Path.GetTempPath(), $"nc-sample-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, await h.Telegram.DownloadAsync(sample.Video!["file_id"]!.GetValue<string>()));
        var probe = await TestMedia.ProbeAsync(file);
        File.Delete(file);
        Assert.Equal((720, 1280, "h264"), (probe.Width, probe.Height, probe.Codec));
        Assert.InRange(probe.Duration, 9.5, 10.5);

        // The next seller gets the same file by the file_id Telegram gave it, not another upload.
        var second = await h.OnboardedUserAsync();
        var again = Assert.Single(await second.Transcript(), m => m.Video is not null);
        Assert.Equal(sample.Video["file_id"]!.GetValue<string>(), again.Video!["file_id"]!.GetValue<string>());

        // Once sellers get KIE's videos, nobody is shown the slideshow any more.
        await RunWorkerUntilAsync("Kie", async () => !await h.Storage.Store.ExistsAsync(NeuroCards.Core.Storage.MediaKeys.DemoSample));
        var later = await h.OnboardedUserAsync();
        Assert.DoesNotContain(await later.Transcript(), m => m.Video is not null);
    }

    private async Task RunWorkerUntilAsync(string provider, Func<Task<bool>> done)
    {
        var worker = NeuroCards.Worker.WorkerApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(h.Storage.Settings)
            {
                ["ConnectionStrings:neurocards"] = h.Db.ConnectionString,
                ["Telegram:BotToken"] = h.Token,
                ["Telegram:ApiBaseUrl"] = h.Emulator.BaseUrl,
                ["Generation:Provider"] = provider,
                ["Kie:ApiKeys"] = provider == "Kie" ? "key-a" : null,
                ["Kie:BaseUrl"] = "http://127.0.0.1:9",
            });
        });
        await worker.StartAsync();
        try
        {
            // Rendering the sample takes ffmpeg a few seconds alone, much longer beside the rest of the suite.
            for (var i = 0; i < 900 && !await done(); i++) await Task.Delay(100);
        }
        finally
        {
            await worker.StopAsync();
            await worker.DisposeAsync();
        }
    }
}
