using System.Net.Http.Json;
using System.Text;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.Bot.Shops;

/// <summary>
/// A seller connects a shop in the chat and puts a delivered video on a Wildberries, Ozon or Yandex Market card. The
/// facts share one bot, worker and set of fakes (each with sellers, cards and shops of its own).
/// </summary>
public sealed class PublishTests(PublishTests.Running running) : IClassFixture<PublishTests.Running>
{
    private readonly ShopsHarness h = running.Harness;

    public sealed class Running : IAsyncLifetime
    {
        public ShopsHarness Harness { get; } = new();

        public async ValueTask InitializeAsync()
        {
            await Harness.InitializeAsync();
            await Harness.StartWorkerAsync();
        }

        public ValueTask DisposeAsync() => Harness.DisposeAsync();
    }

    private static async Task<byte[]> PhotoAsync() => await TestMedia.PhotoAsync();

    [Fact]
    public async Task A_wb_token_is_checked_on_arrival_and_a_delivered_video_lands_on_the_card_once()
    {
        var user = await h.Bot.OnboardedUserAsync();
        var seller = user.Id.ToString();
        const long Article = 211_000_001;
        h.Wb.AddSellerCard(seller, Article, "Кружка 350 мл", [await PhotoAsync()]);

        var personal = await h.ConnectAsync(user, "wb", h.Wb.IssueToken(seller, type: 2));
        Assert.Contains("персональный", personal.Text);
        Assert.Contains("запрещает передавать", personal.Text);
        var readOnly = await h.ConnectAsync(user, "wb", h.Wb.IssueToken(seller, readOnly: true));
        Assert.Contains("только на чтение", readOnly.Text, StringComparison.OrdinalIgnoreCase);
        var noContent = await h.ConnectAsync(user, "wb", h.Wb.IssueToken(seller, content: false));
        Assert.Contains("«Контент»", noContent.Text);
        var expired = await h.ConnectAsync(user, "wb", h.Wb.IssueToken(seller, expires: DateTime.UtcNow.AddDays(-1)));
        Assert.Contains($"Срок токена истёк {DateTime.UtcNow.AddDays(-1):dd.MM.yyyy}", expired.Text);
        var expires = DateTime.UtcNow.AddDays(120);
        var connected = await h.ConnectAsync(user, "wb", h.Wb.IssueToken(seller, expires: expires));
        Assert.Contains("Подключён", connected.Text);
        await user.Expect(m => m.Contains("Мои магазины") && m.Contains($"токен до {expires:dd.MM.yyyy}"));

        // The order started from the card's article: the card is known, nothing is asked.
        var closing = await h.DeliveredCardVideoAsync(user, Article);
        await user.Press(closing, "На карточку");
        var done = await user.Expect(m => m.FromBot && m.Contains("Видео на карточке Wildberries"), TimeSpan.FromSeconds(30));
        Assert.Contains($"https://www.wildberries.ru/catalog/{Article}/detail.aspx", done.Html);
        Assert.Equal(await StoredVideoAsync(user.Id), h.Wb.VideoOn(Article));

        // Asked again: said, not sent again.
        await user.Press(closing, "На карточку");
        await user.Expect(m => m.FromBot && m.Contains("уже на карточке"));
        Assert.Equal(1, h.Wb.UploadsTo(Article));
    }

    [Fact]
    public async Task The_Mini_App_gallery_puts_a_video_on_a_card_through_the_same_queue()
    {
        var user = await h.Bot.OnboardedUserAsync();
        var seller = user.Id.ToString();
        const long Article = 211_000_009;
        h.Wb.AddSellerCard(seller, Article, "Плед", [await PhotoAsync()]);
        await h.ConnectAsync(user, "wb", h.Wb.IssueToken(seller));
        await h.DeliveredCardVideoAsync(user);
        Guid jobId, shopId;
        await using (var conn = await h.Bot.Db.DataSource.OpenConnectionAsync())
        {
            jobId = await Dapper.SqlMapper.ExecuteScalarAsync<Guid>(conn, "select id from jobs where user_id = @id and status = 'delivered'", new { id = user.Id });
            shopId = await Dapper.SqlMapper.ExecuteScalarAsync<Guid>(conn, "select id from shops where user_id = @id and removed_at is null", new { id = user.Id });
        }
        using var http = new HttpClient { BaseAddress = new Uri(h.Bot.App!.Urls.First()) };
        var initData = NeuroCards.TelegramEmulator.WebApps.InitData.Sign(h.Bot.Token,
            new System.Text.Json.Nodes.JsonObject { ["id"] = user.Id, ["first_name"] = "Анна" }, DateTimeOffset.UtcNow);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("tma", initData);

        // The gallery offers the connected shop under the 3:4 video.
        var gallery = await http.GetStringAsync("/app/api/gallery");
        Assert.Contains($"value=\"{shopId:N}\"", gallery);
        Assert.DoesNotContain("На карточке", System.Net.WebUtility.HtmlDecode(gallery));
        // A card that is not one is refused in Wildberries' terms; the article puts the video on the card, told in the chat.
        using var bad = await http.PostAsJsonAsync($"/app/api/videos/{jobId:N}/publish", new { shop = shopId.ToString("N"), card = "кружка" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Не вижу артикула", await bad.Content.ReadAsStringAsync());
        using var good = await http.PostAsJsonAsync($"/app/api/videos/{jobId:N}/publish", new { shop = shopId.ToString("N"), card = Article.ToString() });
        Assert.Equal(System.Net.HttpStatusCode.OK, good.StatusCode);
        await user.Expect(m => m.FromBot && m.Contains("Видео на карточке Wildberries"), TimeSpan.FromSeconds(30));
        Assert.Equal(await StoredVideoAsync(user.Id), h.Wb.VideoOn(Article));
        Assert.Contains("На карточке: Wildberries", System.Net.WebUtility.HtmlDecode(await http.GetStringAsync("/app/api/gallery")));
        // Another seller's shop or video: nothing.
        using var foreign = await http.PostAsJsonAsync($"/app/api/videos/{Guid.NewGuid():N}/publish", new { shop = shopId.ToString("N"), card = Article.ToString() });
        Assert.Equal(System.Net.HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task A_key_asked_for_is_not_taken_from_a_message_sent_after_the_seller_went_elsewhere()
    {
        var user = await h.Bot.OnboardedUserAsync();
        await user.Send("/shops");
        await user.PressData(await user.Expect(m => m.FromBot && m.Buttons.Any(b => b.CallbackData == "shop:add:wb")), "shop:add:wb");
        await user.Expect(m => m.FromBot && m.Contains("одним сообщением"));
        await user.Send("/start");
        await user.Press(await user.Expect(m => m.FromBot && m.HasButton("Создать видео")), "Создать видео");
        await user.Expect(m => m.FromBot && m.Contains("Фото товара"));

        var sent = await user.Send("Кружка керамическая 350 мл");
        await user.Expect(m => m.FromBot && m.Id > sent["message_id"]!.GetValue<int>());
        Assert.Contains(await user.Transcript(), m => m.Id == sent["message_id"]!.GetValue<int>() && !m.Deleted);
        Assert.DoesNotContain(await user.Transcript(), m => m.FromBot && m.Contains("не похоже на токен"));
    }

    [Fact]
    public async Task A_rate_limit_is_waited_out_and_an_expired_token_is_named_with_what_to_do()
    {
        var user = await h.Bot.OnboardedUserAsync();
        var seller = user.Id.ToString();
        const long Article = 211_000_002;
        h.Wb.AddSellerCard(seller, Article, "Плед", [await PhotoAsync()]);
        var token = h.Wb.IssueToken(seller);
        await h.ConnectAsync(user, "wb", token);

        var first = await h.DeliveredCardVideoAsync(user, Article);
        h.Wb.RateLimit(1);
        var asked = DateTime.UtcNow;
        await user.Press(first, "На карточку");
        await user.Expect(m => m.FromBot && m.Contains("Видео на карточке Wildberries"), TimeSpan.FromSeconds(30));
        Assert.True(DateTime.UtcNow - asked >= TimeSpan.FromSeconds(2), "WB's X-Ratelimit-Retry: 2 was honoured");
        Assert.Equal(1, h.Wb.UploadsTo(Article));

        h.Wb.Revoke(token);
        var second = await h.DeliveredCardVideoAsync(user, Article);
        await user.Press(second, "На карточку");
        var refused = await user.Expect(m => m.FromBot && m.Contains("не принял видео"), TimeSpan.FromSeconds(30));
        Assert.Contains("истёк или отозван", refused.Text);
        Assert.Contains("/shops", refused.Text);

        // The operator sees publications by marketplace and outcome.
        var admin = await h.Bot.OnboardedUserAsync(id: BotHarness.AdminId);
        await admin.Send("/stats");
        var stats = await admin.Expect(m => m.FromBot && m.Contains("Публикации"));
        var line = System.Text.RegularExpressions.Regex.Match(stats.Text, @"Wildberries: failed (\d+), published (\d+)");
        Assert.True(line.Success, stats.Text);
        await using var conn = await h.Bot.Db.DataSource.OpenConnectionAsync();
        Assert.Equal(await conn.ExecuteScalarAsync<int>("select count(*)::int from publications where marketplace = 'wb' and state = 'failed'"),
            int.Parse(line.Groups[1].Value));
        Assert.Equal(await conn.ExecuteScalarAsync<int>("select count(*)::int from publications where marketplace = 'wb' and state = 'published'"),
            int.Parse(line.Groups[2].Value));
        Assert.True(int.Parse(line.Groups[1].Value) >= 1 && int.Parse(line.Groups[2].Value) >= 1);
    }

    [Fact]
    public async Task A_key_sealed_under_another_shops_key_fails_the_publication_with_what_to_do()
    {
        var user = await h.Bot.OnboardedUserAsync();
        var seller = user.Id.ToString();
        const long Article = 211_000_004;
        h.Wb.AddSellerCard(seller, Article, "Ваза", [await PhotoAsync()]);
        await h.ConnectAsync(user, "wb", h.Wb.IssueToken(seller));
        await using (var conn = await h.Bot.Db.DataSource.OpenConnectionAsync())
        {
            // What a changed Shops__SecretKey leaves: a sealed key this service cannot open.
            var other = new NeuroCards.Core.Shops.ShopSecrets(Microsoft.Extensions.Options.Options.Create(
                new NeuroCards.Core.Shops.ShopOptions { SecretKey = new string('a', 64) }));
            var shop = await conn.ExecuteScalarAsync<Guid>("select id from shops where user_id = @id", new { id = user.Id });
            await conn.ExecuteAsync("update shops set secret = @secret where id = @shop", new { secret = other.Seal(shop, "token"), shop });
        }

        var closing = await h.DeliveredCardVideoAsync(user, Article);
        await user.Press(closing, "На карточку");
        var refused = await user.Expect(m => m.FromBot && m.Contains("не принял видео"), TimeSpan.FromSeconds(30));
        Assert.Contains("Подключи магазин заново", refused.Text);
        Assert.Equal(0, h.Wb.UploadsTo(Article));
    }

    [Fact]
    public async Task Ozon_fetches_our_public_copy_and_its_rejection_reaches_the_seller_in_its_words()
    {
        var user = await h.Bot.OnboardedUserAsync();
        h.Ozon.AddShop("1943980", "a3f9c2e1-5b7d-4e8a-9c0f-1d2e3f4a5b6c");
        h.Ozon.AddProduct("MUG-350", 845_112_001);
        h.Ozon.AddProduct("MUG-351", 845_112_002);
        h.Ozon.Reject("MUG-351", "Видео не прошло модерацию: на видео указана цена");

        var badFormat = await h.ConnectAsync(user, "ozon", "a3f9c2e1-5b7d-4e8a-9c0f-1d2e3f4a5b6c");
        Assert.Contains("Client-Id", badFormat.Text);
        var wrongKey = await h.ConnectAsync(user, "ozon", "1943980 00000000-0000-0000-0000-000000000000");
        Assert.Contains("не принял ключ", wrongKey.Text);
        await h.ConnectAsync(user, "ozon", "1943980 a3f9c2e1-5b7d-4e8a-9c0f-1d2e3f4a5b6c");

        var closing = await h.DeliveredCardVideoAsync(user);
        await user.Press(closing, "На карточку");
        await user.Expect(m => m.FromBot && m.Contains("артикул товара в Ozon"));
        await user.Send("MUG-350");
        await user.Expect(m => m.FromBot && m.Contains("Ozon забирает видео"), TimeSpan.FromSeconds(20));
        var done = await user.Expect(m => m.FromBot && m.Contains("Видео на карточке Ozon"), TimeSpan.FromSeconds(30));
        Assert.Contains("845112001", done.Html);
        var url = h.Ozon.VideoOf("MUG-350")!;
        Assert.Equal(await StoredVideoAsync(user.Id), h.Ozon.Fetched[url]);

        await user.Press(closing, "На карточку");
        await user.Expect(m => m.FromBot && m.Contains("артикул товара в Ozon") && m.Id > done.Id);
        await user.Send("MUG-351");
        var rejected = await user.Expect(m => m.FromBot && m.Contains("Ozon не принял видео"), TimeSpan.FromSeconds(30));
        Assert.Contains("на видео указана цена", rejected.Text);
    }

    [Fact]
    public async Task Yandex_market_gets_a_lasting_link_that_goes_when_the_shop_is_disconnected()
    {
        var user = await h.Bot.OnboardedUserAsync();
        h.Ym.AddBusiness("88123", "ACMA:xK2mP9qR4tV7wY1zB3cD5fG8hJ0kL6nQ:9f8e7d6c");
        h.Ym.AddOffer("88123", "SKU-77", "https://cdn.example/one.mp4");
        await h.ConnectAsync(user, "ym", "88123 ACMA:xK2mP9qR4tV7wY1zB3cD5fG8hJ0kL6nQ:9f8e7d6c");

        var closing = await h.DeliveredCardVideoAsync(user);
        await user.Press(closing, "На карточку");
        await user.Expect(m => m.FromBot && m.Contains("SKU товара на Маркете"));
        await user.Send("SKU-77");
        await user.Expect(m => m.FromBot && m.Contains("Видео на карточке Яндекс Маркет"), TimeSpan.FromSeconds(30));
        var videos = h.Ym.VideosOf("88123", "SKU-77");
        Assert.Equal(2, videos.Count);
        Assert.Equal("https://cdn.example/one.mp4", videos[0]); // the offer's other video is kept
        using var http = new HttpClient();
        Assert.True((await http.GetAsync(videos[1])).IsSuccessStatusCode);
        Assert.True(new Uri(videos[1]).AbsoluteUri.Length <= 512);

        await user.Send("/shops");
        var shops = await user.Expect(m => m.FromBot && m.HasButton("Отключить"));
        await user.Press(shops, "Отключить");
        await user.Expect(m => m.FromBot && m.Contains("Пока ни одного"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await http.GetAsync(videos[1])).IsSuccessStatusCode)
        {
            Assert.True(DateTime.UtcNow < deadline, "the public copy is removed once the shop is disconnected");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Sellers_keys_appear_nowhere_in_clear_not_in_logs_traces_or_the_database()
    {
        var user = await h.Bot.OnboardedUserAsync();
        var seller = user.Id.ToString();
        const long Article = 211_000_003;
        h.Wb.AddSellerCard(seller, Article, "Чайник", [await PhotoAsync()]);
        var token = h.Wb.IssueToken(seller);
        const string OzonKey = "5e0c3b1a-7d2f-4c9e-8b6a-0f1e2d3c4b5a";
        const string YmKey = "ACMA:Zq8Wr3Ty6Ui9Op2As5Df7Gh0Jk4Lz1Xc:b2a1c3d4";
        h.Ozon.AddShop("2001", OzonKey);
        h.Ym.AddBusiness("99001", YmKey);
        await h.ConnectAsync(user, "wb", token);
        await h.ConnectAsync(user, "ozon", $"2001 {OzonKey}");
        await h.ConnectAsync(user, "ym", $"99001 {YmKey}");
        var closing = await h.DeliveredCardVideoAsync(user, Article);
        await user.Press(closing, "На карточку");
        await user.Expect(m => m.FromBot && m.Contains("В какой магазин"));
        await user.Press(await user.Expect(m => m.FromBot && m.HasButton("Wildberries")), "Wildberries");
        await user.Expect(m => m.FromBot && m.Contains("Видео на карточке Wildberries"), TimeSpan.FromSeconds(30));
        Assert.Contains(token, h.Wb.UploadHeaders); // the token did its work

        foreach (var secret in new[] { token, OzonKey, YmKey })
        {
            Assert.DoesNotContain(h.Bot.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(h.WorkerLogs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(h.Spans, s => s.Contains(secret, StringComparison.Ordinal));
            Assert.Equal(0, await RowsContainingAsync(secret));
        }
        Assert.NotEmpty(h.Spans);
        Assert.NotEmpty(h.WorkerLogs.Lines);
    }

    /// <summary>Rows of any table whose text (bytea as hex) holds the secret, as text or as its UTF-8 bytes.</summary>
    private async Task<int> RowsContainingAsync(string secret)
    {
        await using var conn = await h.Bot.Db.DataSource.OpenConnectionAsync();
        var tables = await conn.QueryAsync<string>("select tablename from pg_tables where schemaname = 'public'");
        var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret));
        var found = 0;
        foreach (var table in tables)
        {
            found += await conn.ExecuteScalarAsync<int>(
                $"select count(*)::int from \"{table}\" t where strpos(t::text, @secret) > 0 or strpos(lower(t::text), @hex) > 0", new { secret, hex });
        }
        return found;
    }

    private async Task<byte[]> StoredVideoAsync(long userId)
    {
        await using var conn = await h.Bot.Db.DataSource.OpenConnectionAsync();
        var key = await conn.ExecuteScalarAsync<string>(
            "select result_key from jobs where user_id = @userId and status = 'delivered' order by delivered_at desc limit 1", new { userId });
        await using var video = (await h.Bot.Storage.Store.OpenReadAsync(key!))!;
        using var bytes = new MemoryStream();
        await video.Content.CopyToAsync(bytes);
        return bytes.ToArray();
    }
}
