using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;

namespace NeuroCards.Tests.Bot.Admin;

public sealed class AdminTests : RunningBotTests
{
    [Fact]
    public async Task Admin_commands_work_for_admins_only()
    {
        var user = await h.OnboardedUserAsync();
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);

        await user.Send("/stats");
        await user.Expect("Не знаю такой команды");
        await user.Send($"/grant {user.Id} 100 free");
        await user.Expect("Не знаю такой команды");
        Assert.Equal(Ledger.SignUpBonus, await TestData.BalanceAsync(h.Db.DataSource, user.Id));

        await admin.Send("/stats");
        var stats = await admin.Expect("Статистика");
        Assert.Contains("Пользователи: 2", stats.Text);
        await admin.Send($"/user {user.Id}");
        var card = await admin.Expect(m => m.Contains(user.Id.ToString()) && m.Contains("Баланс"));
        Assert.Contains("2 кредита", card.Text);
        await admin.Send("/grant nonsense");
        await admin.Expect("Формат: /grant");
        await admin.Send($"/refund {Guid.NewGuid()}");
        await admin.Expect("Задание не найдено");
    }

    [Fact]
    public async Task An_admin_refund_returns_a_stuck_jobs_credit_once()
    {
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);
        var userId = TestData.NewUserId();
        await h.Db.Ledger.EnsureUserAsync(userId, null, "Seller", "ru");
        var order = await TestData.DraftOrderAsync(h.Db.DataSource, userId);
        var job = Assert.IsType<ConfirmOrderResult.Confirmed>(await h.Db.Orders.ConfirmAsync(order, 1)).JobIds[0];

        await admin.Send($"/refund {job}");
        await admin.Expect("Возврат сделан");
        await admin.Send($"/refund {job}");
        await admin.Expect("Уже возвращено");

        Assert.Equal(Ledger.SignUpBonus, await TestData.BalanceAsync(h.Db.DataSource, userId));
        Assert.Equal(JobStatus.Failed, (await h.Db.Queue.GetAsync(job))!.Status);
    }

    [Fact]
    public async Task An_admin_refund_is_one_transaction_a_failure_to_stop_the_job_returns_no_credit_and_a_made_video_is_refused()
    {
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);
        var userId = TestData.NewUserId();
        await h.Db.Ledger.EnsureUserAsync(userId, null, "Seller", "ru");
        await h.Db.Ledger.GrantAsync(userId, 1, "test", 1);
        var order = await TestData.DraftOrderAsync(h.Db.DataSource, userId, count: 3);
        var jobs = Assert.IsType<ConfirmOrderResult.Confirmed>(await h.Db.Orders.ConfirmAsync(order, 1)).JobIds;
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        // Fault injection: stopping this one job fails (as a lost connection or a constraint would).
        await conn.ExecuteAsync($$"""
            create function refuse_stop() returns trigger language plpgsql as $$
            begin
                if new.id = '{{jobs[0]}}' and new.status = 'failed' then raise exception 'injected failure'; end if;
                return new;
            end $$;
            create trigger refuse_stop before update on jobs for each row execute function refuse_stop();
            """);
        await conn.ExecuteAsync("update jobs set result_key = 'outputs/made.mp4', succeeded_at = now(), status = 'undeliverable', stage = 'done' where id = @id", new { id = jobs[1] });

        await admin.Send($"/refund {jobs[0]}");
        await admin.Expect(m => m.FromBot && !m.Contains("Возврат сделан"));
        await admin.Send($"/refund {jobs[1]}");
        await admin.Expect("возврат не положен");
        await conn.ExecuteAsync("drop trigger refuse_stop on jobs; drop function refuse_stop();");

        // Neither refund happened: no credit back for a job that kept running, none for a video that was made.
        Assert.Equal(0, await conn.ExecuteScalarAsync<int>("select count(*)::int from ledger where user_id = @userId and kind = 'refund'", new { userId }));
        Assert.Equal(Ledger.SignUpBonus + 1 - 3, await TestData.BalanceAsync(h.Db.DataSource, userId));
        Assert.Equal(JobStatus.Queued, (await h.Db.Queue.GetAsync(jobs[0]))!.Status);
    }

    [Fact]
    public async Task A_broadcast_reaches_everyone_once_and_marks_who_blocked_the_bot()
    {
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);
        var first = await h.OnboardedUserAsync();
        var blocked = await h.OnboardedUserAsync();
        await blocked.Block();

        await admin.Send("/broadcast 🎉 <b>Новые модели</b> уже в боте!");
        await admin.Expect("Рассылка запущена: 3 пользователя");
        await first.Expect("Новые модели", TimeSpan.FromSeconds(20));
        await admin.Expect("Новые модели", TimeSpan.FromSeconds(20));

        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        await WaitAsync(async () => await conn.ExecuteScalarAsync<string>("select status from broadcasts") == "done");
        Assert.Equal((2, 1), await conn.QuerySingleAsync<(int, int)>("select sent, failed from broadcasts"));
        Assert.NotNull(await conn.ExecuteScalarAsync<DateTime?>("select blocked_at from users where id = @Id", new { blocked.Id }));
        Assert.Single(await first.Transcript(), m => m.Contains("Новые модели"));
    }

    [Fact]
    public async Task Telegram_saying_too_many_requests_is_waited_out_not_turned_into_an_error()
    {
        var user = await h.OnboardedUserAsync();
        await h.Telegram.InjectFaultAsync("sendMessage", "429", count: 1, retryAfter: 1);

        await user.Send("/help");

        var help = await user.Expect("/language");
        Assert.DoesNotContain(await user.Transcript(), m => m.Contains("что-то пошло не так"));
        Assert.NotNull(help);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException();
            await Task.Delay(100);
        }
    }
}
