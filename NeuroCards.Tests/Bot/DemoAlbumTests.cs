using Telegram.Bot;
using Telegram.Bot.Types;

namespace NeuroCards.Tests.Bot;

public sealed class DemoAlbumTests : IAsyncLifetime
{
    private readonly BotHarness h = new();

    public Task InitializeAsync() => h.InitializeAsync();

    public Task DisposeAsync() => h.DisposeAsync();

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
}
