using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NeuroCards.Bot.Payments;
using NeuroCards.Bot.Payments.YooKassa;
using NeuroCards.Tests.Bot;
using NeuroCards.Tests.Fakes;
using NeuroCards.Tests.TelegramEmulator.Client;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Payments;

namespace NeuroCards.Tests.Bot.Payments;

public sealed class PaymentsTests : IAsyncLifetime
{
    private readonly BotHarness h = new();
    private YooKassaFake _yooKassa = null!;

    public async ValueTask InitializeAsync()
    {
        await h.InitializeAsync();
        _yooKassa = await YooKassaFake.StartAsync();
        h.Overrides["Payments:YooKassa:BaseUrl"] = _yooKassa.BaseUrl;
        h.Overrides["Payments:YooKassa:ShopId"] = YooKassaFake.ShopId;
        h.Overrides["Payments:YooKassa:SecretKey"] = YooKassaFake.SecretKey;
        h.Overrides["Payments:YooKassa:ReconcileAfterMinutes"] = "5";
        // The tests post YooKassa's notifications from here.
        h.Overrides["Payments:YooKassa:AllowedNetworks"] = "127.0.0.1";
    }

    public async ValueTask DisposeAsync()
    {
        await h.DisposeAsync();
        await _yooKassa.DisposeAsync();
    }

    private async Task<T> Scalar<T>(string sql)
    {
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        return (await conn.ExecuteScalarAsync<T>(sql))!;
    }

    private async Task Exec(string sql)
    {
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        await conn.ExecuteAsync(sql);
    }

    private async Task<int> Scalar(string sql, object? args = null)
    {
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>(sql, args);
    }

    [Fact]
    public async Task Stars_invoice_pre_checkout_and_payment_credit_the_pack_once()
    {
        await h.StartBotAsync();
        var user = await h.OnboardedUserAsync();
        await user.Send("/buy");
        var packs = await user.Expect("Купить кредиты");
        Assert.Contains("10 кредитов — 690 ₽", packs.Text);
        Assert.Contains("69 ₽ за видео", packs.Text);
        Assert.True(packs.HasButton("10 кредитов — 450 ⭐") && packs.HasButton("10 кредитов — 690 ₽ картой")); // buttons that read unambiguously
        await user.PressData(packs, "pay:stars:2");
        var invoice = await user.Expect(m => m.Invoice is not null);
        Assert.Equal("XTR", invoice.Invoice!["currency"]!.GetValue<string>());
        Assert.Equal(450, invoice.Invoice["total_amount"]!.GetValue<int>());

        var (charge, error) = await user.Pay(invoice);
        Assert.Null(error);
        await user.Expect("Зачислено 10 кредитов");

        Assert.Equal(12, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(1, await Scalar("select count(*)::int from ledger where user_id = @Id and kind = 'purchase'", new { user.Id }));

        // The same successful_payment delivered twice more, at once: nothing more is credited.
        var payment = (await user.Transcript()).Single(m => m.Json["successful_payment"] is not null).Json;
        var message = System.Text.Json.JsonSerializer.Deserialize<Message>(payment.ToJsonString(), JsonBotAPI.Options)!;
        var stars = h.App!.Services.GetRequiredService<StarsCheckout>();
        await Task.WhenAll(stars.HandleSuccessfulPaymentAsync(message, default), stars.HandleSuccessfulPaymentAsync(message, default));
        Assert.Equal(12, await TestData.BalanceAsync(h.Db.DataSource, user.Id));

        // Paying the already-paid invoice again is refused at pre-checkout.
        var (again, refusal) = await user.Pay(invoice);
        Assert.Null(again);
        Assert.Contains("недействителен", refusal);
        Assert.NotNull(charge);
    }

    [Fact]
    public async Task A_pre_checkout_for_a_payment_we_never_created_is_refused()
    {
        await h.StartBotAsync();
        var user = await h.OnboardedUserAsync();
        var bot = new TelegramBotClient(new TelegramBotClientOptions(h.Token, h.Emulator.BaseUrl));
        await bot.SendInvoice(user.Id, "Fake", "Not ours", Guid.NewGuid().ToString("N"), "XTR", [new LabeledPrice("x", 1)]);
        var invoice = await user.Expect(m => m.Invoice is not null);

        var (charge, error) = await user.Pay(invoice);

        Assert.Null(charge);
        Assert.NotNull(error);
        Assert.Equal(2, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
    }

    /// <summary>The bot running, a user who started a card payment, and YooKassa saying it succeeded.</summary>
    private async Task<(EmulatorUser User, string TheirsId)> PaidAtYooKassaAsync()
    {
        await h.StartBotAsync();
        var user = await h.OnboardedUserAsync();
        var (_, theirs) = await StartCardPaymentAsync(user);
        _yooKassa.Set(theirs, "succeeded");
        return (user, theirs);
    }

    private async Task<(NeuroCards.Core.Payments.Payment Ours, string TheirsId)> StartCardPaymentAsync(NeuroCards.Tests.TelegramEmulator.Client.EmulatorUser user)
    {
        await user.Send("/buy");
        var packs = await user.Expect("Купить кредиты");
        await user.PressData(packs, "pay:yk:2");
        var link = await user.Expect(m => m.Buttons.Any(b => b.Url?.Contains("yoomoney") == true));
        Assert.Contains("690 ₽", link.Text);
        var theirs = _yooKassa.Payments.Keys.Single();
        var ours = await h.App!.Services.GetRequiredService<NeuroCards.Core.Payments.PaymentStore>().FindByProviderIdAsync(NeuroCards.Core.Payments.PaymentProvider.Yookassa, theirs, default);
        Assert.NotNull(ours);
        Assert.Contains(_yooKassa.Requests, r => r is { Method: "POST", Path: "/v3/payments" } && r.IdempotenceKey == ours.Id.ToString());
        return (ours, theirs);
    }

    private async Task<HttpResponseMessage> NotifyAsync(string id, string? forwardedFor = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(h.App!.Urls.First()) };
        // As the generated nginx does: the sender's address in X-Forwarded-For.
        if (forwardedFor is not null) http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return await http.PostAsJsonAsync(YooKassaNotifications.Path, new
        {
            type = "notification",
            @event = "payment.succeeded",
            @object = new { id, status = "succeeded", paid = true, amount = new { value = "690.00", currency = "RUB" } },
        });
    }

    [Fact]
    public async Task Forged_yookassa_notifications_credit_nothing()
    {
        await h.StartBotAsync();
        var user = await h.OnboardedUserAsync();
        var (_, theirs) = await StartCardPaymentAsync(user);

        // The body claims success, but YooKassa says pending: nothing.
        Assert.True((await NotifyAsync(theirs)).IsSuccessStatusCode);
        // YooKassa says succeeded, but for another amount: nothing.
        _yooKassa.Set(theirs, "succeeded", amount: "1.00");
        await NotifyAsync(theirs);
        // An id we never created: nothing.
        await NotifyAsync("2f000000-000f-5000-9000-000000000000");

        Assert.Equal(2, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(0, await Scalar("select count(*)::int from ledger where kind = 'purchase'"));
    }

    [Fact]
    public async Task A_genuine_notification_delivered_five_times_at_once_credits_once()
    {
        var (user, theirs) = await PaidAtYooKassaAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => NotifyAsync(theirs)));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        Assert.Equal(12, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(1, await Scalar("select count(*)::int from ledger where kind = 'purchase'"));
        await user.Expect("Зачислено 10 кредитов");
    }

    [Fact]
    public async Task A_lost_notification_is_credited_by_reconciliation_and_a_canceled_payment_fails()
    {
        await h.StartBotAsync();
        var user = await h.OnboardedUserAsync();
        var (ours, theirs) = await StartCardPaymentAsync(user);
        _yooKassa.Set(theirs, "succeeded");
        await using (var conn = await h.Db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("update payments set created_at = now() - interval '10 minutes' where id = @Id", new { ours.Id });
        }

        var credited = await h.App!.Services.GetRequiredService<YooKassaReconciliation>().ReconcileAsync(default);

        Assert.Equal(1, credited);
        Assert.Equal(12, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(0, await h.App.Services.GetRequiredService<YooKassaReconciliation>().ReconcileAsync(default));
    }

    [Fact]
    public async Task Test_payments_exist_only_in_development_and_only_for_admins()
    {
        h.Environment = "Production";
        await h.StartBotAsync();
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);
        await admin.Send("/buy");
        var packs = await admin.Expect("Купить кредиты");
        Assert.DoesNotContain(packs.Buttons, b => b.CallbackData?.StartsWith("pay:test") == true);

        await admin.PressData(packs, "pay:test:1");
        await admin.Expect("Оплата сейчас недоступна");

        Assert.Equal(2, await TestData.BalanceAsync(h.Db.DataSource, admin.Id));
        Assert.Equal(0, await Scalar("select count(*)::int from payments where provider = 'test'"));
    }

    [Fact]
    public async Task In_development_an_admin_test_payment_credits_and_a_plain_user_cannot()
    {
        await h.StartBotAsync();
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);
        var user = await h.OnboardedUserAsync();
        await admin.Send("/buy");
        var adminPacks = await admin.Expect("Купить кредиты");
        await user.Send("/buy");
        var userPacks = await user.Expect("Купить кредиты");

        await admin.Press(adminPacks, "Тест 5");
        await admin.Expect("Зачислено 5 кредитов");
        await user.PressData(userPacks, "pay:test:1");
        await user.Expect("Оплата сейчас недоступна");

        Assert.DoesNotContain(userPacks.Buttons, b => b.CallbackData?.StartsWith("pay:test") == true);
        Assert.Equal(7, await TestData.BalanceAsync(h.Db.DataSource, admin.Id));
        Assert.Equal(2, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(1, await Scalar("select count(*)::int from ledger l join payments p on p.id = l.payment_id where p.provider = 'test'"));
    }

    [Fact]
    public async Task An_admin_refund_of_stars_takes_the_credits_back_once()
    {
        var (admin, user, paymentId) = await PaidWithStarsAsync();
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();

        await admin.Send($"/refundstars {paymentId}");
        await admin.Expect("Звёзды возвращены");
        await admin.Send($"/refundstars {paymentId}");
        await admin.Expect("уже возвращён");

        Assert.Equal(2, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(2, await TestData.LedgerSumAsync(h.Db.DataSource, user.Id));
        Assert.Equal("refunded", await conn.ExecuteScalarAsync<string>("select status from payments where id = @paymentId", new { paymentId }));
        Assert.True((await user.Transcript()).Single(m => m.Json["successful_payment"] is not null).Json["x_refunded"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Refundstars_on_a_card_payment_touches_nothing_and_says_where_to_refund_it()
    {
        var (user, theirs) = await PaidAtYooKassaAsync();
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);
        Assert.Equal(HttpStatusCode.OK, (await NotifyAsync(theirs)).StatusCode);
        await user.Expect("Зачислено 10 кредитов");
        var paymentId = await Scalar<Guid>($"select id from payments where user_id = {user.Id} and status = 'succeeded'");

        await admin.Send($"/refundstars {paymentId}");

        var answer = await admin.Expect("не платёж звёздами");
        Assert.Contains($"/grant {user.Id} -10", answer.Text);
        Assert.Equal(12, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal("succeeded", await Scalar<string>($"select status from payments where id = '{paymentId}'"));
    }

    [Fact]
    public async Task A_pre_checkout_whose_answer_failed_for_a_passing_reason_is_answered_when_it_comes_again()
    {
        var (user, invoice) = await StarsInvoiceAsync();
        await h.Telegram.InjectFaultAsync("answerPreCheckoutQuery", "502");

        var (charge, error) = await user.Pay(invoice);

        Assert.Null(error);
        Assert.NotNull(charge);
        await user.Expect("Зачислено 5 кредитов");
    }

    [Fact]
    public async Task A_stars_credit_is_followed_by_credited_even_when_telegram_fails_to_take_it_at_first()
    {
        var (user, invoice) = await StarsInvoiceAsync();
        await h.Telegram.InjectFaultAsync("sendMessage", "500");

        await user.Pay(invoice);

        await user.Expect("Зачислено 5 кредитов", TimeSpan.FromSeconds(40));
        Assert.Equal(7, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
    }

    [Fact]
    public async Task A_second_stars_charge_for_a_paid_invoice_is_credited_once_and_the_operators_are_told()
    {
        var (admin, user, paymentId) = await PaidWithStarsAsync();
        var receipt = (await user.Transcript()).Single(m => m.Json["successful_payment"] is not null).Json.DeepClone().AsObject();
        receipt["successful_payment"]!["telegram_payment_charge_id"] = "second-charge-" + Guid.NewGuid().ToString("N");
        var second = System.Text.Json.JsonSerializer.Deserialize<Message>(receipt.ToJsonString(), JsonBotAPI.Options)!;
        var stars = h.App!.Services.GetRequiredService<StarsCheckout>();

        // The second charge's receipt, delivered three times.
        for (var i = 0; i < 3; i++) await stars.HandleSuccessfulPaymentAsync(second, default);

        await admin.Expect("оплачен второй раз");
        Assert.Equal(2, (await user.Transcript()).Count(m => m.FromBot && m.Contains("Зачислено 5 кредитов")));
        Assert.Equal(12, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(12, await TestData.LedgerSumAsync(h.Db.DataSource, user.Id));
        Assert.Equal(2, await Scalar($"select count(*)::int from payments where user_id = {user.Id} and status = 'succeeded'"));
        Assert.Equal(paymentId, await Scalar<Guid>($"select id from payments where user_id = {user.Id} and provider_payment_id not like 'second-charge-%'"));
    }

    /// <summary>The bot running, and a seller with a Stars invoice for the first pack in the chat.</summary>
    private async Task<(EmulatorUser User, ChatMessage Invoice)> StarsInvoiceAsync()
    {
        await h.StartBotAsync();
        var user = await h.OnboardedUserAsync();
        await user.Send("/buy");
        await user.PressData(await user.Expect("Купить кредиты"), "pay:stars:1");
        return (user, await user.Expect(m => m.Invoice is not null));
    }

    private async Task<(EmulatorUser Admin, EmulatorUser User, Guid PaymentId)> PaidWithStarsAsync()
    {
        var (user, invoice) = await StarsInvoiceAsync();
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);
        await user.Pay(invoice);
        await user.Expect("Зачислено 5 кредитов");
        var paymentId = await Scalar<Guid>($"select id from payments where user_id = {user.Id} and status = 'succeeded'");
        return (admin, user, paymentId);
    }

    private async Task<bool> StarsReturnedAsync(EmulatorUser user) =>
        (await user.Transcript()).Single(m => m.Json["successful_payment"] is not null).Json["x_refunded"] is not null;

    [Fact]
    public async Task A_stars_refund_telegram_fails_keeps_the_credits_taken_and_running_it_again_finishes_it_once()
    {
        var (admin, user, paymentId) = await PaidWithStarsAsync();
        await h.Telegram.InjectFaultAsync("refundStarPayment", "500");

        await admin.Send($"/refundstars {paymentId}");
        await admin.Expect("не вернул звёзды");

        // Never both: the Stars are still the user's, so the credits are no longer.
        Assert.False(await StarsReturnedAsync(user));
        Assert.Equal(2, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal("refunding", await Scalar<string>($"select status from payments where id = '{paymentId}'"));

        await admin.Send($"/refundstars {paymentId}");
        await admin.Expect("Звёзды возвращены");

        Assert.True(await StarsReturnedAsync(user));
        Assert.Equal(2, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(2, await TestData.LedgerSumAsync(h.Db.DataSource, user.Id));
        Assert.Equal(1, await Scalar<int>($"select count(*)::int from ledger where payment_id = '{paymentId}' and kind = 'reversal'"));
        Assert.Equal("refunded", await Scalar<string>($"select status from payments where id = '{paymentId}'"));
    }

    [Fact]
    public async Task When_the_database_fails_after_telegram_returned_the_stars_the_credits_are_already_taken()
    {
        var (admin, user, paymentId) = await PaidWithStarsAsync();
        // The settling write fails, as a commit would after the Stars went back.
        await Exec("""
            create function fail_refunded() returns trigger language plpgsql as $$
            begin if new.status = 'refunded' then raise exception 'injected fault'; end if; return new; end $$;
            create trigger fail_refunded before update on payments for each row execute function fail_refunded();
            """);

        await admin.Send($"/refundstars {paymentId}");
        await admin.Expect("что-то пошло не так");

        Assert.True(await StarsReturnedAsync(user));
        Assert.Equal(2, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(2, await TestData.LedgerSumAsync(h.Db.DataSource, user.Id));

        await Exec("drop trigger fail_refunded on payments");
        await admin.Send($"/refundstars {paymentId}");
        await admin.Expect("Звёзды возвращены");
        Assert.Equal("refunded", await Scalar<string>($"select status from payments where id = '{paymentId}'"));
        Assert.Equal(2, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
    }

    [Fact]
    public async Task A_stars_payment_whose_handling_failed_for_a_passing_reason_is_handled_again_and_credited_once()
    {
        await h.StartBotAsync();
        var user = await h.OnboardedUserAsync();
        await user.Send("/buy");
        await user.PressData(await user.Expect("Купить кредиты"), "pay:stars:1");
        var invoice = await user.Expect(m => m.Invoice is not null);
        // The first write of the purchase meets a passing database failure (a serialization failure), the second goes through.
        await Exec("""
            create sequence purchase_writes; -- not rolled back with the failed transaction
            create function fail_purchase_once() returns trigger language plpgsql as $$
            begin
              if new.kind = 'purchase' and nextval('purchase_writes') = 1 then
                raise exception 'injected passing fault' using errcode = '40001';
              end if;
              return new;
            end $$;
            create trigger fail_purchase_once before insert on ledger for each row execute function fail_purchase_once();
            """);

        await user.Pay(invoice);
        await user.Expect("Зачислено 5 кредитов");

        Assert.Equal(2, await Scalar<int>("select last_value::int from purchase_writes")); // failed once, then went through
        Assert.Equal(7, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(1, await Scalar("select count(*)::int from ledger where user_id = @Id and kind = 'purchase'", new { user.Id }));
        Assert.DoesNotContain(await user.Transcript(), m => m.Contains("что-то пошло не так"));
        Assert.Single(await user.Transcript(), m => m.Contains("Зачислено"));
    }

    [Fact]
    public async Task A_stars_payment_whose_update_never_arrived_is_credited_from_the_star_transactions_once()
    {
        await h.StartBotAsync();
        var user = await h.OnboardedUserAsync();
        await user.Send("/buy");
        await user.PressData(await user.Expect("Купить кредиты"), "pay:stars:1");
        var (charge, error) = await user.Pay(await user.Expect(m => m.Invoice is not null), loseUpdate: true);
        Assert.Null(error);
        var reconciliation = h.App!.Services.GetRequiredService<StarsReconciliation>();

        // Still waiting for its update: left alone.
        Assert.Equal(0, await reconciliation.ReconcileAsync(TimeSpan.FromMinutes(2), default));
        Assert.Equal(2, await TestData.BalanceAsync(h.Db.DataSource, user.Id));

        Assert.Equal(1, await reconciliation.ReconcileAsync(TimeSpan.Zero, default));
        await user.Expect("Зачислено 5 кредитов");
        Assert.Equal(0, await reconciliation.ReconcileAsync(TimeSpan.Zero, default));

        Assert.Equal(7, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(charge, await Scalar<string>($"select provider_payment_id from payments where user_id = {user.Id}"));
        Assert.Equal(1, await Scalar("select count(*)::int from ledger where user_id = @Id and kind = 'purchase'", new { user.Id }));
    }

    [Fact]
    public async Task Stars_already_spent_are_not_refunded()
    {
        var (admin, user, paymentId) = await PaidWithStarsAsync();
        await h.Db.Ledger.GrantAsync(user.Id, -6, "spent", 1);
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();

        await admin.Send($"/refundstars {paymentId}");
        await admin.Expect("уже потратил");

        Assert.Equal(1, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal("succeeded", await conn.ExecuteScalarAsync<string>("select status from payments where id = @paymentId", new { paymentId }));
        Assert.Null((await user.Transcript()).Single(m => m.Json["successful_payment"] is not null).Json["x_refunded"]);
    }

    [Fact]
    public async Task Reconciliation_closes_payments_yookassa_does_not_know_so_a_hundred_of_them_do_not_hide_a_paid_one()
    {
        await h.StartBotAsync();
        var user = await h.OnboardedUserAsync();
        var (ours, theirs) = await StartCardPaymentAsync(user);
        _yooKassa.Set(theirs, "succeeded");
        // 120 older payments YooKassa answers 404 for: before, they filled every round's batch of 100 for ever.
        await Exec($"""
            insert into payments (id, user_id, provider, provider_payment_id, pack_id, credits, amount, currency, created_at, updated_at)
            select gen_random_uuid(), {user.Id}, 'yookassa', 'gone-' || g, 2, 10, 690, 'RUB', now() - interval '1 hour', now() - interval '1 hour'
            from generate_series(1, 120) g;
            update payments set created_at = now() - interval '10 minutes' where id = '{ours.Id}';
            """);
        var reconciliation = h.App!.Services.GetRequiredService<YooKassaReconciliation>();

        var credited = await reconciliation.ReconcileAsync(default) + await reconciliation.ReconcileAsync(default);

        Assert.Equal(1, credited);
        Assert.Equal(12, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(120, await Scalar("select count(*)::int from payments where provider_payment_id like 'gone-%' and status = 'failed'"));
    }

    [Fact]
    public async Task Behind_the_local_proxy_the_notification_sender_is_the_forwarded_address()
    {
        h.Overrides["Payments:YooKassa:AllowedNetworks"] = "185.71.76.0/27";
        var (user, theirs) = await PaidAtYooKassaAsync();

        var outside = await NotifyAsync(theirs, forwardedFor: "203.0.113.9");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, outside.StatusCode);
        var fromYooKassa = await NotifyAsync(theirs, forwardedFor: "185.71.76.5");

        Assert.True(fromYooKassa.IsSuccessStatusCode);
        Assert.Equal(12, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
    }

    [Fact]
    public async Task Notifications_from_outside_the_allowed_networks_are_refused()
    {
        h.Overrides["Payments:YooKassa:AllowedNetworks"] = "185.71.76.0/27, 77.75.156.11";
        var (user, theirs) = await PaidAtYooKassaAsync();

        var response = await NotifyAsync(theirs);

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(2, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
    }
}
