using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NeuroCards.Core.Orders;
using NeuroCards.Tests.Fakes;
using NeuroCards.Tests.TelegramEmulator.Client;
using NeuroCards.Worker;
using Telegram.Bot;

namespace NeuroCards.Tests.Bot.Shops;

/// <summary>
/// The bot and a worker (both in this process, so their logs and traces can be read), against PostgreSQL, local storage
/// served over HTTP, the Telegram emulator and fakes of Wildberries, Ozon and Yandex Market.
/// </summary>
public sealed class ShopsHarness : IAsyncLifetime
{
    public BotHarness Bot { get; } = new();
    public WildberriesFake Wb { get; private set; } = null!;
    public OzonFake Ozon { get; private set; } = null!;
    public YandexMarketFake Ym { get; private set; } = null!;
    public KieFake Kie { get; private set; } = null!;
    public OpenAiFake OpenAi { get; private set; } = null!;
    public CapturingLoggerProvider WorkerLogs { get; } = new();
    public List<WebApplication> Workers { get; } = [];

    /// <summary>Every span either service started, with its tags and events, while the harness ran.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Spans { get; } = new();
    private ActivityListener? _listener;

    public async ValueTask InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => Spans.Enqueue($"{a.DisplayName} {string.Join(" ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))} "
                                                 + string.Join(" ", a.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")))),
        };
        ActivitySource.AddActivityListener(_listener);
        await Bot.InitializeAsync();
        Wb = await WildberriesFake.StartAsync();
        Ozon = await OzonFake.StartAsync();
        Ym = await YandexMarketFake.StartAsync();
        // KIE answers with a file already in the card's frame: a UGC video in 3:4 is delivered as it came, in seconds.
        Kie = await KieFake.StartAsync(await TestMedia.CardResultVideoAsync());
        OpenAi = await OpenAiFake.StartAsync();
        foreach (var (k, v) in Marketplaces()) Bot.Overrides[k] = v;
        await Bot.StartBotAsync();
    }

    private Dictionary<string, string?> Marketplaces() => new()
    {
        ["Wildberries:BasketUrl"] = Wb.BasketUrl,
        ["Wildberries:Baskets"] = "5",
        ["Wildberries:ContentApiUrl"] = Wb.ContentApiUrl,
        ["Ozon:ApiUrl"] = Ozon.Url,
        ["YandexMarket:ApiUrl"] = Ym.Url,
        ["Shops:SecretKey"] = ShopKey,
    };

    public const string ShopKey = "6f1d2a9c4b7e8f30112233445566778899aabbccddeeff00112233445566eeff";

    public async Task<WebApplication> StartWorkerAsync()
    {
        var app = WorkerApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(WorkerLogs);
            builder.Configuration.AddInMemoryCollection(WorkerSettings());
        });
        await app.StartAsync();
        Workers.Add(app);
        return app;
    }

    /// <summary>A worker as it ships, in its own process (to be killed with -9).</summary>
    public ServiceProcess StartWorkerProcess() => ServiceProcess.Start("NeuroCards.Worker", WorkerSettings());

    private Dictionary<string, string?> WorkerSettings()
    {
        var settings = new Dictionary<string, string?>(Bot.Storage.Settings)
        {
            ["ConnectionStrings:neurocards"] = Bot.Db.ConnectionString,
            ["Telegram:BotToken"] = Bot.Token,
            ["Telegram:ApiBaseUrl"] = Bot.Emulator.BaseUrl,
            ["Generation:Provider"] = "Kie",
            ["Kie:BaseUrl"] = Kie.Url,
            ["Kie:ApiKeys"] = "key-a",
            ["Kie:PollSeconds"] = "1",
            ["OpenAI:BaseUrl"] = OpenAi.BaseUrl,
            ["OpenAI:ApiKey"] = "sk-test",
            ["Worker:PollSeconds"] = "0.2",
            ["Worker:ShutdownGraceSeconds"] = "1",
            ["Worker:DemoSample"] = "false",
            ["Worker:LeaseSeconds"] = "6",
            ["Worker:PublishLeaseSeconds"] = "6",
        };
        foreach (var (k, v) in Marketplaces()) settings[k] = v;
        return settings;
    }

    /// <summary>
    /// A seller's order of one 3:4 video (started from <paramref name="article"/> when given), made by the worker and
    /// delivered; returns the order's closing message, which carries «📤 На карточку».
    /// </summary>
    public async Task<ChatMessage> DeliveredCardVideoAsync(EmulatorUser user, long? article = null)
    {
        await Bot.Db.Ledger.GrantAsync(user.Id, 1, "test", 1);
        var orderId = await TestData.DraftOrderAsync(Bot.Db.DataSource, user.Id, 1, "ugc", "seedance-2");
        await using var conn = await Bot.Db.DataSource.OpenConnectionAsync();
        var photoKey = await conn.ExecuteScalarAsync<string>("select photo_key from orders where id = @orderId", new { orderId });
        await Bot.Storage.Store.PutAsync(photoKey!, new MemoryStream(await TestMedia.PhotoAsync()), "image/jpeg");
        using var telegram = new HttpClient();
        var bot = new TelegramBotClient(new TelegramBotClientOptions(Bot.Token, Bot.Emulator.BaseUrl), telegram);
        var status = await bot.SendMessage(user.Id, "⏳ Заказ принят");
        await conn.ExecuteAsync("update orders set status_message_id = @id, format = 'card', article = @article where id = @orderId",
            new { id = status.MessageId, orderId, article = article?.ToString() });
        Assert.IsType<ConfirmOrderResult.Confirmed>(await Bot.Db.Orders.ConfirmAsync(orderId, 1));
        return await user.Expect(m => m.FromBot && m.Buttons.Any(b => b.CallbackData == $"pub:{orderId:N}"), TimeSpan.FromSeconds(90));
    }

    /// <summary>/shops → ➕ marketplace → the secret; the bot's answer to it.</summary>
    public async Task<ChatMessage> ConnectAsync(EmulatorUser user, string marketplace, string secret)
    {
        await user.Send("/shops");
        var shops = await user.Expect(m => m.FromBot && m.Buttons.Any(b => b.CallbackData == $"shop:add:{marketplace}"));
        await user.PressData(shops, $"shop:add:{marketplace}");
        await user.Expect(m => m.FromBot && m.Contains("одним сообщением"));
        var sent = await user.Send(secret);
        var answer = await user.Expect(m => m.FromBot && m.Id > sent["message_id"]!.GetValue<int>()
                                            && (m.Contains("Подключён") || m.Contains("Пришли другой ключ") || m.Contains("пришли его ещё раз")));
        var transcript = await user.Transcript();
        var mine = transcript.FirstOrDefault(m => m.Id == sent["message_id"]!.GetValue<int>());
        // The client leaves deleted messages out of the transcript; one still there would be the secret in the chat.
        Assert.True(mine is null or { Deleted: true }, "the message that carried the secret is deleted");
        return answer;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in Workers) await worker.DisposeAsync();
        await Bot.DisposeAsync();
        await Wb.DisposeAsync();
        await Ozon.DisposeAsync();
        await Ym.DisposeAsync();
        await Kie.DisposeAsync();
        await OpenAi.DisposeAsync();
        _listener?.Dispose();
    }
}
