using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.Bot.Intake;

public sealed class RestartAndWebhookTests : IAsyncLifetime
{
    private readonly BotHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task The_bot_process_is_killed_mid_flow_and_after_a_restart_the_user_continues_at_the_same_step()
    {
        var settings = h.Settings();
        var first = ServiceProcess.Start("NeuroCards.Bot", settings);
        var user = await h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru");
        await user.Send("/start");
        var consent = await user.Expect(m => m.Buttons.Any(b => b.CallbackData == "consent"), TimeSpan.FromSeconds(60));
        await user.PressData(consent, "consent");
        var menu = await user.Expect(m => m.HasButton("Создать видео"));
        await user.Press(menu, "Создать видео");
        await user.SendPhoto(await TestMedia.PhotoAsync());
        await user.Expect("Описание товара");

        first.Kill();
        await using var second = ServiceProcess.Start("NeuroCards.Bot", settings);
        await user.Send("Керамическая кружка 350 мл ручной работы, держит тепло.");
        var templates = await user.Expect(m => m.HasButton("UGC"), TimeSpan.FromSeconds(60));

        Assert.True(templates.HasButton("Реклама"));
        // The reply goes out just before the step's transaction commits: give it a moment.
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        var state = "";
        for (var i = 0; i < 50 && state != "template"; i++, await Task.Delay(100))
        {
            state = await conn.ExecuteScalarAsync<string>("select state from conversations where chat_id = @Id", new { user.Id }) ?? "";
        }
        Assert.Equal("template", state);
    }

    [Fact]
    public async Task In_webhook_mode_a_wrong_secret_gets_401_and_a_repeated_update_changes_nothing()
    {
        var port = PostgresCluster.FreePort();
        h.Overrides["Telegram:Mode"] = "Webhook";
        h.Overrides["Telegram:WebhookUrl"] = $"http://127.0.0.1:{port}/telegram/webhook";
        h.Overrides["Telegram:WebhookSecret"] = "webhook-secret-0123456789";
        var settings = h.Settings();
        settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        await using var bot = ServiceProcess.Start("NeuroCards.Bot", settings);
        var user = await h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru");

        // Telegram (the emulator) delivers through the webhook the bot registered.
        await user.Send("/start");
        await user.Expect("пользовательское соглашение", TimeSpan.FromSeconds(60));
        Assert.Equal($"http://127.0.0.1:{port}/telegram/webhook", (await h.Telegram.WebhookAsync())["url"]!.GetValue<string>());

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var update = new JsonObject
        {
            ["update_id"] = 900_001,
            ["message"] = new JsonObject
            {
                ["message_id"] = 500,
                ["date"] = 1_700_000_000,
                ["text"] = "/help",
                ["chat"] = new JsonObject { ["id"] = user.Id, ["type"] = "private", ["first_name"] = "Анна" },
                ["from"] = new JsonObject { ["id"] = user.Id, ["is_bot"] = false, ["first_name"] = "Анна", ["language_code"] = "ru" },
                ["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = 5 }),
            },
        };
        var forged = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = JsonContent.Create(update) };
        forged.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "wrong-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged)).StatusCode);

        for (var i = 0; i < 2; i++)
        {
            var genuine = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = JsonContent.Create(update) };
            genuine.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "webhook-secret-0123456789");
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(genuine)).StatusCode);
        }

        // The consent is repeated once for the one genuine /help (consent comes first), not twice, not for the forged one.
        var transcript = await user.Transcript();
        Assert.Equal(2, transcript.Count(m => m.FromBot && m.Contains("пользовательское соглашение")));
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("select count(*)::int from processed_updates where update_id = 900001"));
    }

    [Fact]
    public async Task The_bot_token_never_appears_in_the_logs()
    {
        await h.StartBotAsync();
        var user = await h.OnboardedUserAsync();
        await user.Send("/account");
        await user.Expect("Мой кабинет");
        await h.Telegram.InjectFaultAsync("sendMessage", "500", count: 1);
        await user.Send("/help"); // fails once: an error is logged, with its exception

        await Task.Delay(500);
        var lines = h.Logs.Lines.ToArray();
        Assert.Contains(lines, l => l.Contains("failed", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, l => l.Contains(h.Token.Split(':')[1]));
    }
}
