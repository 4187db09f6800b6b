using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Dapper;
using NeuroCards.TelegramEmulator.WebApps;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.Bot.MiniApp;

/// <summary>Who may see what: Telegram's signed initData on every request, and only the signer's own orders.</summary>
public sealed class MiniAppAccessTests(MiniAppFixture app) : IClassFixture<MiniAppFixture>
{
    private static JsonObject UserJson(long id) => new() { ["id"] = id, ["first_name"] = "Анна", ["language_code"] = "ru" };

    private async Task<HttpResponseMessage> GetAsync(string path, string? initData)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (initData is not null) request.Headers.Authorization = new AuthenticationHeaderValue("tma", initData);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Forged_stale_foreign_or_missing_initData_gets_401_and_nothing_else()
    {
        var user = await app.Bot.OnboardedUserAsync();
        await app.DeliveredVideosAsync(user, "Кружка «Лето»");
        var good = InitData.Sign(app.Bot.Token, UserJson(user.Id), DateTimeOffset.UtcNow);
        var ok = await GetAsync("/app/api/gallery", good);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("Кружка «Лето»", System.Net.WebUtility.HtmlDecode(await ok.Content.ReadAsStringAsync()));

        var hash = good[(good.IndexOf("hash=", StringComparison.Ordinal) + 5)..][..64];
        var forged = new Dictionary<string, string?>
        {
            ["no initData"] = null,
            ["hash changed"] = good.Replace(hash, (hash[0] == 'a' ? "b" : "a") + hash[1..]),
            ["another user in a signed initData"] = good.Replace(Uri.EscapeDataString(user.Id.ToString()), Uri.EscapeDataString((user.Id + 1).ToString())),
            ["signed with another bot's token"] = InitData.Sign(EmulatorHost.NewToken(), UserJson(user.Id), DateTimeOffset.UtcNow),
            ["signed two days ago"] = InitData.Sign(app.Bot.Token, UserJson(user.Id), DateTimeOffset.UtcNow.AddDays(-2)),
            ["not Telegram's format"] = "user=1&hash=00",
        };
        foreach (var (what, initData) in forged)
        {
            foreach (var path in new[] { "/app/api/gallery", "/app/api/orders", "/app/api/balance" })
            {
                using var response = await GetAsync(path, initData);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {path} answered {response.StatusCode}");
                Assert.Equal("", await response.Content.ReadAsStringAsync());
            }
        }
        // The page itself carries no data of anyone's: it is the same for everybody.
        using var page = await GetAsync("/app", null);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("Кружка", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_users_order_is_not_found_and_a_refunded_failure_reads_plainly()
    {
        var anna = await app.Bot.OnboardedUserAsync();
        var boris = await app.Bot.OnboardedUserAsync();
        var (_, orderId, _) = (await app.DeliveredVideosAsync(anna, "Свеча соевая"))[0];
        // A second order of Anna's whose video the moderation refused: failed, its credit refunded.
        await app.Bot.Db.Ledger.GrantAsync(anna.Id, 1, "test", 1);
        var failedOrder = await TestData.DraftOrderAsync(app.Bot.Db.DataSource, anna.Id);
        var failedJob = Assert.IsType<NeuroCards.Core.Orders.ConfirmOrderResult.Confirmed>(await app.Bot.Db.Orders.ConfirmAsync(failedOrder, 1)).JobIds.Single();
        await using (var conn = await app.Bot.Db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("update jobs set status = 'failed', stage = 'failed', error_class = 'moderation' where id = @failedJob", new { failedJob });
            await conn.ExecuteAsync("insert into ledger (user_id, kind, amount, order_id, job_id, reason) values (@user, 'refund', 1, @failedOrder, @failedJob, 'moderation')",
                new { user = anna.Id, failedOrder, failedJob });
            await conn.ExecuteAsync("update orders set status = 'completed' where id = @failedOrder", new { failedOrder });
        }

        var annas = InitData.Sign(app.Bot.Token, UserJson(anna.Id), DateTimeOffset.UtcNow);
        var boriss = InitData.Sign(app.Bot.Token, UserJson(boris.Id), DateTimeOffset.UtcNow);
        using var own = await GetAsync($"/app/api/orders/{orderId}", annas);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("Свеча соевая", await own.Content.ReadAsStringAsync());
        using var foreign = await GetAsync($"/app/api/orders/{orderId}", boriss);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain("Свеча", await foreign.Content.ReadAsStringAsync());
        using var unknown = await GetAsync($"/app/api/orders/{Guid.NewGuid()}", annas);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        // Boris's own lists do not show Anna's orders or videos.
        using var borisOrders = await GetAsync("/app/api/orders", boriss);
        using var borisGallery = await GetAsync("/app/api/gallery", boriss);
        Assert.DoesNotContain("Свеча", await borisOrders.Content.ReadAsStringAsync());
        Assert.DoesNotContain("Свеча", await borisGallery.Content.ReadAsStringAsync());

        using var failed = await GetAsync($"/app/api/orders/{failedOrder}", annas);
        var html = await failed.Content.ReadAsStringAsync();
        Assert.Contains("Модерация нейросети не пропустила", html);
        Assert.Contains("Кредит возвращён", html);
    }

    [Fact]
    public async Task An_English_speaker_gets_the_app_in_English()
    {
        var user = await app.Bot.OnboardedUserAsync("en");
        await app.DeliveredVideosAsync(user, "Linen throw");
        var initData = InitData.Sign(app.Bot.Token, new JsonObject { ["id"] = user.Id, ["first_name"] = "Ann", ["language_code"] = "en" }, DateTimeOffset.UtcNow);
        using var gallery = await GetAsync("/app/api/gallery", initData);
        Assert.Equal("en", gallery.Content.Headers.ContentLanguage.Single());
        var html = await gallery.Content.ReadAsStringAsync();
        Assert.Contains("To chat", html);
        Assert.DoesNotContain("В чат", html);
        Assert.Contains("Balance:", await (await GetAsync("/app/api/balance", initData)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_menu_button_and_the_account_open_the_Mini_App()
    {
        var user = await app.Bot.OnboardedUserAsync();
        var menu = await app.Bot.Telegram.MenuButtonAsync(user.Id);
        Assert.Equal("web_app", menu["type"]!.GetValue<string>());
        Assert.Equal(app.AppUrl, menu["web_app"]!["url"]!.GetValue<string>());

        await user.Send("/account");
        var account = await user.Expect(m => m.FromBot && m.HasButton("Галерея"));
        var button = account.Json["reply_markup"]!["inline_keyboard"]!.AsArray().SelectMany(r => r!.AsArray()).First(b => b!["text"]!.GetValue<string>().Contains("Галерея"));
        Assert.Equal(app.AppUrl, button!["web_app"]!["url"]!.GetValue<string>());
    }
}
