using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.Bot.Admin;

/// <summary>The model catalogue from the seller's and the admin's side: what is offered, at what price, and /stats' costs.</summary>
public sealed class ModelsTests : RunningBotTests
{
    private static async Task<ChatMessage> ToCountsAsync(EmulatorUser user)
    {
        var menu = await user.Expect(m => m.HasButton("Создать видео"));
        await user.Press(menu, "Создать видео");
        await user.Expect("Фото товара");
        await user.SendPhoto(await TestMedia.PhotoAsync());
        await user.Expect("Описание товара");
        await user.Send("Керамическая кружка 350 мл ручной работы, держит тепло.");
        var templates = await user.Expect(m => m.HasButton("UGC"));
        await user.Press(templates, "UGC");
        var wishes = await user.Expect(m => m.HasButton("Пропустить"));
        await user.Press(wishes, "Пропустить");
        return await user.Expect(m => m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:") == true));
    }

    private static string[] ModelsOn(ChatMessage counts) =>
        counts.Buttons.Select(b => b.CallbackData!).Where(d => d.StartsWith("cnt:")).Select(d => d.Split(':')[1]).Distinct().ToArray();

    [Fact]
    public async Task The_live_models_are_offered_the_default_first()
    {
        var seller = await h.OnboardedUserAsync();

        Assert.Equal(["seedance-2", "kling-3"], ModelsOn(await ToCountsAsync(seller)));
    }

    [Fact]
    public async Task The_models_command_lists_each_model_with_its_state()
    {
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);

        await admin.Send("/models");

        var list = await admin.Expect("Модели");
        Assert.Contains("✅ seedance-2 Seedance 2 — 1 кредит", list.Text);
        Assert.Contains("✅ kling-3 Kling 3.0 — 1 кредит", list.Text);
        Assert.Contains("⛔ veo3-fast Veo 3.1 Fast — 2 кредита", list.Text);
    }

    [Fact]
    public async Task A_model_an_admin_turns_off_is_not_offered_to_the_next_seller()
    {
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);

        await admin.Send("/models off seedance-2");

        Assert.Contains("⛔ seedance-2", (await admin.Expect("Готово")).Text);
        Assert.Equal(["kling-3"], ModelsOn(await ToCountsAsync(await h.OnboardedUserAsync())));
    }

    [Fact]
    public async Task The_next_seller_pays_the_price_an_admin_set()
    {
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);

        await admin.Send("/models price kling-3 2");

        await admin.Expect(m => m.Contains("Готово") && m.Contains("kling-3 Kling 3.0 — 2 кредита"));
        var counts = await ToCountsAsync(await h.OnboardedUserAsync());
        Assert.True(counts.HasButton("1 × Kling 3.0 — 2 кредита"), string.Join(" | ", counts.Buttons.Select(b => b.Text)));
    }

    [Theory]
    [InlineData("/models on sora-2", "нет в каталоге")]
    [InlineData("/models price kling-3 zero", "Так: /models")]
    [InlineData("/models retire kling-3", "Так: /models")]
    public async Task A_models_command_that_cannot_be_done_says_why_and_changes_nothing(string command, string answer)
    {
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);

        await admin.Send(command);

        await admin.Expect(answer);
        Assert.Equal(0, await Scalar("select count(*)::int from video_models"));
    }

    private async Task<int> Scalar(string sql)
    {
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>(sql);
    }

    [Fact]
    public async Task A_model_turned_off_between_the_confirmation_and_start_charges_nothing_and_asks_for_another()
    {
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);
        var seller = await h.OnboardedUserAsync();
        var counts = await ToCountsAsync(seller);
        await seller.PressData(counts, "cnt:seedance-2:1");
        var confirmation = await seller.Expect("Проверь заказ");
        Assert.Contains("Seedance 2", confirmation.Text);

        await admin.Send("/models off seedance-2");
        await admin.Expect("Готово");
        await seller.Press(confirmation, "Старт");

        var again = await seller.Expect(m => m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:") == true));
        Assert.Equal(["kling-3"], ModelsOn(again));
        Assert.Equal(NeuroCards.Core.Money.Ledger.SignUpBonus, await TestData.BalanceAsync(h.Db.DataSource, seller.Id));
    }

    [Fact]
    public async Task Stats_show_what_kie_cost_today_per_delivered_video_against_what_sellers_paid()
    {
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);
        await using (var conn = await h.Db.DataSource.OpenConnectionAsync())
        {
            var userId = TestData.NewUserId();
            await h.Db.Ledger.EnsureUserAsync(userId, null, "Seller", "ru");
            var order = await TestData.DraftOrderAsync(h.Db.DataSource, userId);
            var job = Assert.IsType<NeuroCards.Core.Orders.ConfirmOrderResult.Confirmed>(await h.Db.Orders.ConfirmAsync(order, 1)).JobIds[0];
            // One failed task and its retry made the one delivered video; the balance was read before and after them.
            await conn.ExecuteAsync("""
                insert into kie_tasks (task_id, job_id, attempt, model, credits, outcome) values ('t1', @job, 1, 'seedance-2', 250, 'fail'), ('t2', @job, 2, 'seedance-2', 250, 'success');
                update jobs set status = 'delivered', telegram_file_id = 'f', delivered_at = now(), succeeded_at = now() where id = @job;
                insert into kie_balance (checked_at, credits) values (now() - interval '2 seconds', 10000), (now() - interval '1 second', 9500);
                insert into payments (id, user_id, provider, status, credits, amount, currency, paid_at) values (gen_random_uuid(), @userId, 'yookassa', 'succeeded', 10, 990, 'RUB', now());
                """, new { job, userId });
        }

        await admin.Send("/stats");

        var stats = await admin.Expect("KIE сегодня");
        Assert.Contains("KIE сегодня: 500 кредитов (по балансу KIE), видео доставлено: 1, на одно видео: 500", stats.Text);
        Assert.Contains("Продано сегодня: 990 ₽, затраты KIE ≈ 225 ₽, маржа ≈ 765 ₽", stats.Text);
        Assert.Contains("Баланс KIE: 9500", stats.Text);
    }

    [Fact]
    public async Task Stats_count_what_card_previews_stills_cost_by_the_price_list()
    {
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);
        await using (var conn = await h.Db.DataSource.OpenConnectionAsync())
        {
            var userId = TestData.NewUserId();
            await h.Db.Ledger.EnsureUserAsync(userId, null, "Seller", "ru");
            var order = await TestData.DraftOrderAsync(h.Db.DataSource, userId, 1, "card");
            // A preview never approved: three stills by KIE's image model, and nothing else.
            await conn.ExecuteAsync("""
                insert into card_previews (order_id, user_id, chat_id, state) values (@order, @userId, @userId, 'ready');
                insert into card_preview_makings (order_id, user_id, kie_credits) values (@order, @userId, 12);
                """, new { order, userId });
        }

        await admin.Send("/stats");

        Assert.Contains("KIE сегодня: 12 кредитов (по прайсу)", (await admin.Expect("KIE сегодня")).Text);
    }
}
