using NeuroCards.Tests.Fakes;

namespace NeuroCards.Tests.Bot.Intake;

/// <summary>Two bot processes in webhook mode behind one URL (a round-robin balancer), on one database.</summary>
public sealed class ReplicaTests : IAsyncLifetime
{
    private readonly BotHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task Each_replica_handles_a_share_and_every_chat_gets_each_answer_once_and_in_order()
    {
        var replicas = new[] { PostgresCluster.FreePort(), PostgresCluster.FreePort() };
        await using var balancer = await WebhookBalancer.StartAsync(replicas);
        var served = balancer.Served;

        h.Overrides["Telegram:Mode"] = "Webhook";
        h.Overrides["Telegram:WebhookUrl"] = balancer.WebhookUrl;
        h.Overrides["Telegram:WebhookSecret"] = "webhook-secret-0123456789";
        var bots = new List<ServiceProcess>();
        foreach (var port in replicas)
        {
            var settings = h.Settings();
            settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            bots.Add(ServiceProcess.Start("NeuroCards.Bot", settings));
        }
        try
        {
            var users = new List<TelegramEmulator.Client.EmulatorUser>();
            for (var i = 0; i < 12; i++) users.Add(await h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru"));

            // Every chat at once: /start, the consent, then three commands in a row.
            await Task.WhenAll(users.Select(async user =>
            {
                await user.Send("/start");
                await user.Press(await user.Expect("пользовательское соглашение", TimeSpan.FromSeconds(60)), "Принимаю");
                await user.Expect(m => m.Contains("Главное меню"), TimeSpan.FromSeconds(60));
                await user.Send("/help");
                await user.Send("/account");
                await user.Send("/help");
                await user.Expect(m => m.Contains("Мой кабинет"), TimeSpan.FromSeconds(60));
            }));
            await Task.Delay(2000); // anything repeated would have arrived by now

            foreach (var user in users)
            {
                var bot = (await user.Transcript()).Where(m => m.FromBot).Select(m => m.Text).ToList();
                Assert.Single(bot, t => t.Contains("пользовательское соглашение"));
                Assert.Equal(2, bot.Count(t => t.Contains("Я делаю вертикальные видео")));
                var firstHelp = bot.FindIndex(t => t.Contains("Я делаю вертикальные видео"));
                var account = bot.FindIndex(t => t.Contains("Мой кабинет"));
                var secondHelp = bot.FindLastIndex(t => t.Contains("Я делаю вертикальные видео"));
                Assert.True(firstHelp < account && account < secondHelp, "a chat's updates were handled out of order");
            }
            Assert.All(replicas, port => Assert.True(served.GetValueOrDefault(port) > 10, $"replica on {port} handled {served.GetValueOrDefault(port)}"));
        }
        finally
        {
            foreach (var bot in bots) await bot.DisposeAsync();
        }
    }
}
