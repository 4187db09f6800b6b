using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NeuroCards.Bot.Intake;
using NeuroCards.Core.Conversations;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.Bot.Intake;

/// <summary>How updates come in: redelivery after a passing failure, and nothing that grows with every chat or update.</summary>
public sealed class IntakeTests : IAsyncLifetime
{
    private readonly BotHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    private async Task ExecAsync(string sql)
    {
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        await conn.ExecuteAsync(sql);
    }

    /// <summary>The bot in webhook mode, a user, and the first <paramref name="failures"/> conversation writes failing for a passing reason.</summary>
    private async Task<(EmulatorUser User, Func<Task<HttpStatusCode>> Deliver)> WebhookBotWithFailingWritesAsync(int failures)
    {
        h.Overrides["Telegram:Mode"] = "Webhook";
        h.Overrides["Telegram:WebhookUrl"] = "http://127.0.0.1:9/telegram/webhook";
        h.Overrides["Telegram:WebhookSecret"] = "webhook-secret-0123456789";
        await h.StartBotAsync();
        var user = await h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru");
        await ExecAsync($$"""
            create sequence conversation_writes;
            create function fail_conversation_writes() returns trigger language plpgsql as $$
            begin
              if nextval('conversation_writes') <= {{failures}} then raise exception 'injected passing fault' using errcode = '40001'; end if;
              return new;
            end $$;
            create trigger fail_conversation_writes before insert on conversations for each row execute function fail_conversation_writes();
            """);
        var http = new HttpClient { BaseAddress = new Uri(h.App!.Urls.First()) };
        var update = new JsonObject
        {
            ["update_id"] = 910_001,
            ["message"] = new JsonObject
            {
                ["message_id"] = 1,
                ["date"] = 1_700_000_000,
                ["text"] = "/start",
                ["chat"] = new JsonObject { ["id"] = user.Id, ["type"] = "private", ["first_name"] = "Анна" },
                ["from"] = new JsonObject { ["id"] = user.Id, ["is_bot"] = false, ["first_name"] = "Анна", ["language_code"] = "ru" },
                ["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = 6 }),
            },
        };
        async Task<HttpStatusCode> DeliverAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, WebhookApi.Path) { Content = JsonContent.Create(update) };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "webhook-secret-0123456789");
            return (await http.SendAsync(request)).StatusCode;
        }
        return (user, DeliverAsync);
    }

    [Fact]
    public async Task In_webhook_mode_an_update_that_failed_for_a_passing_reason_is_answered_503_and_handled_once_when_it_comes_again()
    {
        var (user, deliver) = await WebhookBotWithFailingWritesAsync(failures: 1);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await deliver());
        Assert.Equal(HttpStatusCode.OK, await deliver());
        Assert.Equal(HttpStatusCode.OK, await deliver());

        await user.Expect("пользовательское соглашение");
        var transcript = await user.Transcript();
        Assert.Single(transcript, m => m.FromBot && m.Contains("пользовательское соглашение"));
        Assert.DoesNotContain(transcript, m => m.Contains("что-то пошло не так"));
    }

    [Fact]
    public async Task An_update_that_keeps_failing_for_a_passing_reason_gets_an_apology_in_the_end_instead_of_holding_its_chat()
    {
        var (user, deliver) = await WebhookBotWithFailingWritesAsync(failures: 100);

        for (var i = 0; i < PassingFailures.MaxRedeliveries; i++) Assert.Equal(HttpStatusCode.ServiceUnavailable, await deliver());
        Assert.Equal(HttpStatusCode.OK, await deliver());

        await user.Expect("что-то пошло не так");
    }

    [Fact]
    public async Task After_many_chats_no_chat_gate_is_left_behind()
    {
        await h.StartBotAsync();
        var users = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru")));

        await Task.WhenAll(users.Select(async u =>
        {
            await u.Send("/start");
            await u.Expect("пользовательское соглашение");
        }));

        var processor = h.App!.Services.GetRequiredService<UpdateProcessor>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (processor.OpenChatGates > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(0, processor.OpenChatGates);
    }

    [Fact]
    public async Task Handled_update_ids_are_forgotten_once_telegram_can_no_longer_resend_them()
    {
        await ExecAsync("""
            insert into processed_updates (update_id, processed_at) values
                (1, now() - interval '10 days'), (2, now() - interval '4 days'), (3, now() - interval '1 day'), (4, now());
            """);

        var pruned = await new ProcessedUpdates(h.Db.Db).PruneAsync(ProcessedUpdates.Retention, default);

        Assert.Equal(2, pruned);
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        var kept = (await conn.QueryAsync<long>("select update_id from processed_updates order by 1")).ToList();
        Assert.Equal([3L, 4L], kept);
        // A remembered one is still refused; Telegram keeps an unconfirmed update for 24 hours, well inside the retention.
        Assert.False(await new ProcessedUpdates(h.Db.Db).TryRecordAsync(3, default));
        Assert.True(ProcessedUpdates.Retention > TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task A_burst_of_chats_larger_than_the_pool_is_answered_instead_of_deadlocking_it()
    {
        // 8 connections, given up after 3 s, for 30 chats at once: 6 updates in hand, the rest wait for a turn.
        h.Overrides["ConnectionStrings:neurocards"] = h.Db.ConnectionString + ";Maximum Pool Size=8;Timeout=3";
        await h.StartBotAsync();
        var users = new List<EmulatorUser>();
        for (var i = 0; i < 30; i++) users.Add(await h.OnboardedUserAsync());

        await Task.WhenAll(users.Select(u => u.Send("/menu")));

        foreach (var user in users)
        {
            await user.Expect(m => m.Contains("Главное меню"), TimeSpan.FromSeconds(60));
            Assert.DoesNotContain(await user.Transcript(), m => m.Contains("пошло не так"));
        }
        // Answered at the first try: no update waited out the pool's timeout and had to come again.
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("failed for a passing reason"));
    }

    [Fact]
    public async Task Every_update_runs_on_one_connection_so_a_pool_of_one_carries_a_whole_order_and_the_account()
    {
        // Any read or write of an update through a second connection would wait out the timeout here and fail.
        h.Overrides["ConnectionStrings:neurocards"] = h.Db.ConnectionString + ";Maximum Pool Size=1;Timeout=5";
        await h.StartBotAsync();
        var user = await h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru");

        await user.Send("/start");
        await user.Press(await user.Expect("пользовательское соглашение"), "Принимаю");
        await user.Press(await user.Expect(m => m.HasButton("Создать видео")), "Создать видео");
        await user.Expect("Фото товара");
        await user.SendPhoto(await TestMedia.PhotoAsync());
        await user.Expect("Описание товара");
        await user.Send("Керамическая кружка 350 мл ручной работы. Для любителей кофе. Держит тепло, не скользит. 890 ₽.");
        await user.Press(await user.Expect(m => m.HasButton("UGC")), "UGC");
        await user.Press(await user.Expect(m => m.HasButton("Пропустить")), "Пропустить");
        await user.PressData(await user.Expect(m => m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:") == true)), "cnt:seedance-2:1");
        await user.Press(await user.Expect("Проверь заказ"), "Старт");
        await user.Expect("Заказ принят");
        await user.Send("/account");
        var account = await user.Expect("Мой кабинет");

        Assert.Contains("Баланс: 1 кредит", account.Text); // the sign-up bonus of 2, one video charged
        Assert.Equal(1, await TestData.LedgerSumAsync(h.Db.DataSource, user.Id));
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("select count(*) from jobs where user_id = @Id", new { user.Id }));
        Assert.DoesNotContain(await user.Transcript(), m => m.Contains("пошло не так"));
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("failed for a passing reason"));
    }
}
