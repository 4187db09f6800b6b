using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NeuroCards.Tests.Fakes;
using NeuroCards.Worker;

namespace NeuroCards.Tests.Bot.Conversation;

/// <summary>A seller starts from a Wildberries article or link instead of a photo and a typed description.</summary>
public sealed class ArticleImportTests : IAsyncLifetime
{
    private const long Article = 187_654_321;
    private readonly BotHarness h = new();
    private WildberriesFake _wb = null!;

    public async ValueTask InitializeAsync()
    {
        await h.InitializeAsync();
        _wb = await WildberriesFake.StartAsync();
        var photos = new List<byte[]>();
        foreach (var color in new[] { "0x2a6fb0", "0xb02a2a", "0x2ab05a" })
        {
            var file = await TestMedia.MakeAsync($"wb-{color}.webp",
                $"-f lavfi -i color=c=0xf4efe6:s=900x1200 -vf drawbox=x=250:y=350:w=400:h=500:color={color}:t=fill -frames:v 1 -c:v libwebp");
            photos.Add(await File.ReadAllBytesAsync(file));
        }
        _wb.Add(Article, basket: 12, "Кружка керамическая «Морской бриз» 350 мл", "Морской бриз",
            "Кружка ручной работы из керамики. Держит тепло. Можно мыть в посудомоечной машине.", photos,
            ("Объём", "350 мл"), ("Материал", "керамика"), ("Цвет", "синий"));
        h.Overrides["Wildberries:BasketUrl"] = _wb.BasketUrl;
        h.Overrides["Wildberries:Baskets"] = "20";
        await h.StartBotAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await h.DisposeAsync();
        await _wb.DisposeAsync();
    }

    [Fact]
    public async Task An_article_number_leads_to_a_delivered_video_of_the_picked_photo_with_the_cards_description()
    {
        var user = await h.OnboardedUserAsync();
        await h.Db.Ledger.GrantAsync(user.Id, 5, "test", 1);
        await user.Press(await user.Expect(m => m.HasButton("Создать видео")), "Создать видео");
        await user.Expect("Фото товара");

        await user.Send("https://www.wildberries.ru/catalog/187654321/detail.aspx?targetUrl=GP&size=0");
        var pick = await user.Expect(m => m.Contains("Нашла карточку на Wildberries"));
        Assert.Contains("Кружка керамическая «Морской бриз» 350 мл", pick.Text);
        Assert.Equal(3, (await user.Transcript()).Count(m => m.Json["photo"] is not null)); // the card's photos, to choose from
        await user.Press(pick, "2");
        await user.Expect("Беру фото 2");
        await using (var db = await h.Db.DataSource.OpenConnectionAsync())
        {
            // The order remembers its card: its video can go back onto it without asking which.
            Assert.Equal("187654321", await db.ExecuteScalarAsync<string>("select article from orders where user_id = @id", new { id = user.Id }));
        }
        var templates = await user.Expect(m => m.HasButton("UGC"));
        await user.Press(templates, "Реклама");
        await user.Press(await user.Expect(m => m.HasButton("Пропустить")), "Пропустить");
        await user.PressData(await user.Expect(m => m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:") == true)), "cnt:seedance-2:1");
        var confirm = await user.Expect("Проверь заказ");
        Assert.Contains("Кружка керамическая «Морской бриз» 350 мл (Морской бриз)", confirm.Text);
        await user.Press(confirm, "Старт");
        await user.Expect("Заказ принят");

        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        var order = await conn.QuerySingleAsync<(string PhotoKey, string Description)>(
            "select photo_key, description from orders where user_id = @Id and status <> 'draft'", new { user.Id });
        Assert.EndsWith(".webp", order.PhotoKey);
        Assert.Contains("Держит тепло", order.Description);
        Assert.Contains("Объём: 350 мл", order.Description);
        var stored = new MemoryStream();
        await (await h.Storage.Store.OpenReadAsync(order.PhotoKey))!.Content.CopyToAsync(stored);
        Assert.Equal(_wb.Photo(Article, 2), stored.ToArray()); // the photo picked, not the first

        // The offline renderer makes the video from that photo, and the seller gets it.
        await using var worker = await StartWorkerAsync();
        var video = await user.Expect(m => m.Video is not null, TimeSpan.FromSeconds(90));
        Assert.Contains("Подходит", video.Text);
        // Only Wildberries' own card paths were asked for: the seller's link was never fetched.
        Assert.All(_wb.Requests, path => Assert.Matches(@"^/basket-\d\d/vol1876/part187654/187654321/(info/ru/card\.json|images/big/\d\.webp)$", path));
    }

    [Theory]
    [InlineData("123456789", "Не нашла на Wildberries товар с артикулом")]
    [InlineData("https://www.ozon.ru/product/kruzhka-12345/", "Карточки Ozon и Яндекс Маркета я пока не читаю")]
    [InlineData("https://market.yandex.ru/product--kruzhka/123", "Карточки Ozon и Яндекс Маркета я пока не читаю")]
    [InlineData("https://evil.example/catalog/187654321/detail.aspx", "Жду фото товара")]
    public async Task An_unknown_article_or_another_marketplace_gets_a_clear_word_and_the_photo_step_stays(string text, string answer)
    {
        var user = await h.OnboardedUserAsync();
        await user.Press(await user.Expect(m => m.HasButton("Создать видео")), "Создать видео");
        await user.Expect("Фото товара");

        await user.Send(text);

        await user.Expect(answer);
        await user.SendPhoto(await TestMedia.PhotoAsync());
        await user.Expect("Описание товара"); // still at the photo step, nothing lost
        Assert.DoesNotContain(_wb.Requests, path => path.Contains("evil"));
    }

    [Fact]
    public async Task While_wildberries_is_slow_the_import_holds_no_transaction_open()
    {
        var seller = await h.OnboardedUserAsync();
        await seller.Press(await seller.Expect(m => m.HasButton("Создать видео")), "Создать видео");
        await seller.Expect("Фото товара");
        _wb.PhotoDelay = TimeSpan.FromSeconds(2); // three photos: six seconds

        await seller.Send(Article.ToString());
        await WhileFetchingAsync(1);

        // The card is being fetched: no connection of this database sits in an open transaction meanwhile (through a
        // pooler that would be one of its few server connections, held for seconds).
        Assert.Equal(0, await OpenTransactionsAsync());
        Assert.DoesNotContain(await seller.Transcript(), m => m.Contains("Какое фото берём")); // still fetching
        var pick = await seller.Expect("Какое фото берём", TimeSpan.FromSeconds(30));

        // The picked photo is fetched once more, before the press's transaction too.
        await seller.Press(pick, "2");
        await WhileFetchingAsync(4);
        Assert.Equal(0, await OpenTransactionsAsync());
        Assert.DoesNotContain(await seller.Transcript(), m => m.Contains("Беру фото 2"));
        await seller.Expect("Беру фото 2", TimeSpan.FromSeconds(30));
    }

    /// <summary>Until Wildberries has been asked for its <paramref name="n"/>-th photo (and is taking its time).</summary>
    private async Task WhileFetchingAsync(int n)
    {
        for (var i = 0; i < 100 && _wb.Requests.Count(r => r.Contains("/images/")) < n; i++) await Task.Delay(100);
        await Task.Delay(300);
    }

    private async Task<int> OpenTransactionsAsync()
    {
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>(
            "select count(*)::int from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'");
    }

    private async Task<WebApplication> StartWorkerAsync()
    {
        var settings = new Dictionary<string, string?>(h.Storage.Settings)
        {
            ["ConnectionStrings:neurocards"] = h.Db.ConnectionString,
            ["Telegram:BotToken"] = h.Token,
            ["Telegram:ApiBaseUrl"] = h.Emulator.BaseUrl,
            ["Generation:Provider"] = "Local",
            ["Worker:PollSeconds"] = "0.2",
            ["Worker:ShutdownGraceSeconds"] = "1",
            ["Worker:DemoSample"] = "false",
        };
        var app = WorkerApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync();
        return app;
    }
}
