using Dapper;
using Microsoft.Playwright;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.Bot.MiniApp;

/// <summary>A seller in a real (headless) browser opens the Mini App from the web chat's menu button, as in Telegram's web client.</summary>
public sealed class MiniAppBrowserTests(MiniAppFixture app) : IClassFixture<MiniAppFixture>
{
    private static readonly string[] Products = ["Кружка «Лето» 350 мл", "Свеча соевая <лаванда>", "Плед из хлопка & льна"];

    private static async Task<(IPlaywright, IBrowser)> BrowserAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    [Fact]
    public async Task The_gallery_opens_from_the_menu_button_resends_a_video_and_tops_up_with_Stars()
    {
        Assert.SkipWhen(Chromium.Path is null, "Chromium is not installed (scripts/setup.sh installs Debian's chromium)");
        var user = await app.Bot.OnboardedUserAsync();
        var videos = await app.DeliveredVideosAsync(user, Products);
        var (playwright, browser) = await BrowserAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 } });
        await page.GotoAsync($"{app.Bot.Emulator.BaseUrl}/?token={Uri.EscapeDataString(app.Bot.Token)}");
        await page.ClickAsync($"[data-user='{user.Id}']");

        // The menu button is the one the bot set; it opens the Mini App in the panel, signed in as this user.
        await page.Locator("#menuBtn", new() { HasText = "Галерея" }).ClickAsync(new() { Timeout = 15_000 });
        var mini = page.FrameLocator("#webappFrame");
        var cards = mini.Locator(".gallery article");
        await Assertions.Expect(cards).ToHaveCountAsync(3, new() { Timeout = 15_000 });
        // Newest first, each with its product (drawn literally), template, frame and date; each plays in place.
        Assert.Equal(Products.Reverse(), (await cards.Locator(".meta b").AllTextContentsAsync()).ToArray());
        Assert.Contains("3:4", await cards.First.Locator(".meta").TextContentAsync());
        await Assertions.Expect(cards.First.Locator("video")).ToHaveJSPropertyAsync("readyState", 4, new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ArtefactDir(), "miniapp-gallery.png") });

        // «В чат»: the newest video comes to the chat again by its Telegram file_id.
        var before = (await user.Transcript()).Count;
        await cards.First.Locator("[data-act=send]").ClickAsync();
        var resent = await user.Expect(m => m.FromBot && m.Video is not null && (m.Json["message_id"]!.GetValue<int>() > before));
        Assert.Equal(videos[^1].FileId, resent.Video!["file_id"]!.GetValue<string>());
        await Assertions.Expect(mini.Locator("#toast")).ToContainTextAsync("отправлено в чат");

        // «Поделиться»: Telegram's share sheet (shareMessage of a prepared message); the chosen chat gets the video, sent via the bot.
        await cards.Nth(1).Locator("[data-act=share]").ClickAsync();
        await page.Locator("#sheet button", new() { HasText = "Send" }).ClickAsync(new() { Timeout = 15_000 });
        ChatMessage? shared = null;
        for (var i = 0; i < 100 && shared is null; i++, await Task.Delay(100))
            shared = (await user.Transcript()).FirstOrDefault(m => !m.FromBot && m.Json["via_bot"] is not null && m.Video is not null);
        Assert.NotNull(shared);
        Assert.Equal(videos[1].FileId, shared.Video!["file_id"]!.GetValue<string>());

        // «Скачать»: our signed link to the file (Telegram's downloadFile takes it over on https), the video's own bytes.
        var download = cards.First.Locator("[data-act=download]");
        Assert.EndsWith(".mp4", await download.GetAttributeAsync("download"));
        var file = await page.APIRequest.GetAsync((await download.GetAttributeAsync("href"))!);
        Assert.Equal(200, file.Status);
        Assert.Equal(await File.ReadAllBytesAsync(await TestMedia.CardResultVideoAsync()), await file.BodyAsync());

        // Balance: a pack paid in Stars inside the Mini App (openInvoice); the balance grows once the bot credits it.
        await mini.Locator("#tabs button[data-tab=balance]").ClickAsync();
        var balance = mini.Locator(".balance");
        await Assertions.Expect(balance).ToBeVisibleAsync();
        var start = int.Parse((await balance.GetAttributeAsync("data-balance"))!);
        Assert.Equal(await TestData.BalanceAsync(app.Bot.Db.DataSource, user.Id), start);
        await mini.Locator("[data-act=stars]").First.ClickAsync();
        await page.Locator("#sheet button", new() { HasText = "Pay" }).ClickAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(balance).Not.ToHaveAttributeAsync("data-balance", start.ToString(), new() { Timeout = 20_000 });
        var now = int.Parse((await balance.GetAttributeAsync("data-balance"))!);
        Assert.True(now > start, $"balance {start} → {now}");
        Assert.Equal(await TestData.BalanceAsync(app.Bot.Db.DataSource, user.Id), now);
        Assert.Contains(await user.Transcript(), m => m.Json["successful_payment"] is not null);
        await Assertions.Expect(mini.Locator("#toast")).ToContainTextAsync("Оплачено");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ArtefactDir(), "miniapp-balance.png") });

        // A card: YooKassa's own page, opened outside the Mini App (openLink), for a payment recorded before YooKassa was asked.
        await page.Context.RouteAsync("https://yoomoney.ru/**", route => route.FulfillAsync(new() { Body = "YooKassa", ContentType = "text/html" }));
        var yooKassa = await page.RunAndWaitForPopupAsync(() => mini.Locator("[data-act=card]").First.ClickAsync());
        Assert.StartsWith("https://yoomoney.ru/checkout/", yooKassa.Url);
        await using (var conn = await app.Bot.Db.DataSource.OpenConnectionAsync())
            Assert.Equal(yooKassa.Url, await conn.ExecuteScalarAsync<string>(
                "select confirmation_url from payments where user_id = @id and provider = 'yookassa' and status = 'pending'", new { id = user.Id }));
    }

    [Fact]
    public async Task A_catalogue_batch_is_paused_and_cancelled_from_the_orders_tab_with_its_refund()
    {
        Assert.SkipWhen(Chromium.Path is null, "Chromium is not installed (scripts/setup.sh installs Debian's chromium)");
        var user = await app.Bot.OnboardedUserAsync();
        var balance = await TestData.BalanceAsync(app.Bot.Db.DataSource, user.Id);
        var batchId = await app.RunningBatchAsync(user, 3);
        var (playwright, browser) = await BrowserAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        await page.GotoAsync(await app.Bot.Telegram.WebAppLaunchUrlAsync(user.Id, app.AppUrl));
        await page.ClickAsync("#tabs button[data-tab=orders]");
        var batch = page.Locator($"[data-batch='{batchId:N}']");
        await Assertions.Expect(batch).ToContainTextAsync("идёт", new() { Timeout = 15_000 });
        await Assertions.Expect(batch).ToContainTextAsync("Готово 0 из 3");
        // Live: a card made meanwhile shows up on its own, without touching the page.
        await using (var conn = await app.Bot.Db.DataSource.OpenConnectionAsync())
            await conn.ExecuteAsync("""
                update jobs set status = 'delivered', stage = 'done', result_key = 'results/x.mp4', succeeded_at = now(), delivered_at = now()
                where id = (select j.id from jobs j join orders o on o.id = j.order_id where o.batch_id = @batchId order by j.id limit 1)
                """, new { batchId });
        await Assertions.Expect(batch).ToContainTextAsync("Готово 1 из 3", new() { Timeout = 15_000 });

        await batch.Locator("[data-verb=pause]").ClickAsync();
        await Assertions.Expect(batch).ToContainTextAsync("на паузе");
        Assert.Equal("paused", await State());
        // Cancelling asks again on the button; the second press refunds every card not started, and the chat says so.
        await batch.Locator("[data-verb=cancel]").ClickAsync();
        await Assertions.Expect(batch.Locator("[data-verb=cancel]")).ToContainTextAsync("Точно отменить");
        Assert.Equal("paused", await State());
        await batch.Locator("[data-verb=cancel]").ClickAsync();
        await Assertions.Expect(batch).ToContainTextAsync("отменён");
        await user.Expect(m => m.FromBot && m.Contains("Вернула 2 кредита"));
        Assert.Equal(balance + 2, await TestData.BalanceAsync(app.Bot.Db.DataSource, user.Id));

        async Task<string?> State()
        {
            await using var conn = await app.Bot.Db.DataSource.OpenConnectionAsync();
            return await conn.ExecuteScalarAsync<string>("select state from batches where id = @batchId", new { batchId });
        }
    }

    [Fact]
    public async Task A_phone_screen_360_wide_has_no_horizontal_scroll_on_any_tab()
    {
        Assert.SkipWhen(Chromium.Path is null, "Chromium is not installed (scripts/setup.sh installs Debian's chromium)");
        var user = await app.Bot.OnboardedUserAsync();
        // One more than a page: the oldest (the long name) comes with «Показать ещё».
        await app.DeliveredVideosAsync(user, ["Очень длинное название товара без пробелов: Термокружкаизнержавеющейсталисдвойнымистенками500мл",
            .. Enumerable.Range(1, 30).Select(i => $"Товар {i}")]);
        var (playwright, browser) = await BrowserAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 360, Height = 740 }, IsMobile = true, HasTouch = true });
        await page.GotoAsync(await app.Bot.Telegram.WebAppLaunchUrlAsync(user.Id, app.AppUrl));
        foreach (var tab in new[] { "gallery", "orders", "balance" })
        {
            await page.ClickAsync($"#tabs button[data-tab={tab}]");
            await page.Locator("#view article, #view .balance").First.WaitForAsync(new() { Timeout = 15_000 });
            var (scroll, width) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
            Assert.True(scroll <= width, $"{tab}: the page is {scroll} px wide on a {width} px screen");
            if (tab != "gallery") continue;
            await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ArtefactDir(), "miniapp-phone.png") });
            var cards = page.Locator(".gallery article");
            Assert.Equal(30, await cards.CountAsync());
            Assert.DoesNotContain("Термокружка", await page.Locator("#view").TextContentAsync());
            await page.ClickAsync(".more");
            await Assertions.Expect(cards).ToHaveCountAsync(31);
            await Assertions.Expect(cards.Last).ToContainTextAsync("Термокружка");
            Assert.Equal(0, await page.Locator(".more").CountAsync());
            Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, "the long name fits after «more» too");
        }
    }
}
