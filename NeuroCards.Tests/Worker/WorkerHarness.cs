using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Storage;
using NeuroCards.Tests.Core.Storage;
using NeuroCards.Tests.Fakes;
using NeuroCards.Tests.TelegramEmulator.Client;
using NeuroCards.Worker;
using Telegram.Bot;

namespace NeuroCards.Tests.Worker;

/// <summary>
/// Everything a worker talks to, real where it can be: PostgreSQL, local storage served over HTTP,
/// ffmpeg; and fakes that speak the real protocols for what is outside (Telegram, KIE, OpenAI).
/// </summary>
public sealed class WorkerHarness : IAsyncLifetime
{
    public DatabaseFixture Db { get; } = new();
    public EmulatorHost Emulator { get; private set; } = null!;
    public StorageBackend Storage { get; private set; } = null!;
    public KieFake Kie { get; private set; } = null!;
    public OpenAiFake OpenAi { get; private set; } = null!;
    public string Token { get; } = EmulatorHost.NewToken();
    public EmulatorClient Telegram => Emulator.Client(Token);
    public TelegramBotClient Bot { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Db.InitializeAsync();
        Emulator = await EmulatorHost.StartAsync();
        Storage = await StorageBackend.StartAsync(StorageProvider.Local);
        Kie = await KieFake.StartAsync(await TestMedia.ResultVideoAsync());
        OpenAi = await OpenAiFake.StartAsync();
        Bot = new TelegramBotClient(new TelegramBotClientOptions(Token, Emulator.BaseUrl));
    }

    public Dictionary<string, string?> Settings(string provider = "Kie") => new(Storage.Settings)
    {
        ["ConnectionStrings:neurocards"] = Db.ConnectionString,
        ["Telegram:BotToken"] = Token,
        ["Telegram:ApiBaseUrl"] = Emulator.BaseUrl,
        ["Kie:BaseUrl"] = Kie.Url,
        ["Kie:ApiKeys"] = "key-a,key-b",
        ["Kie:PollSeconds"] = "1",
        ["Kie:MaxAttempts"] = "3",
        ["OpenAI:BaseUrl"] = OpenAi.BaseUrl,
        ["OpenAI:ApiKey"] = "sk-test",
        ["Generation:Provider"] = provider,
        ["Worker:LeaseSeconds"] = "6",
        ["Worker:PollSeconds"] = "0.2",
        ["Worker:ShutdownGraceSeconds"] = "1",
        ["Worker:DemoSample"] = "false",
    };

    public async Task<WebApplication> StartWorkerAsync(IDictionary<string, string?>? overrides = null, string provider = "Kie")
    {
        var settings = Settings(provider);
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>()) settings[k] = v;
        var app = WorkerApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            if (Environment.GetEnvironmentVariable("NC_TEST_LOGS") is null) builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>A user with a confirmed order, as the bot leaves it: photo stored once, jobs charged, a progress message.</summary>
    public async Task<(EmulatorUser User, Guid OrderId, IReadOnlyList<Guid> Jobs)> PlaceOrderAsync(int count = 1, string template = "ugc",
        string model = "seedance-2", string language = "ru", int credits = 10, string format = "vertical", bool? captions = null)
    {
        var userId = TestData.NewUserId();
        var user = await Telegram.UserAsync(userId, "Анна", language);
        await Db.Ledger.EnsureUserAsync(userId, null, "Анна", language);
        if (credits > 0) await Db.Ledger.GrantAsync(userId, credits, "test", 1);
        var orderId = await TestData.DraftOrderAsync(Db.DataSource, userId, count, template, model);
        await using var conn = await Db.DataSource.OpenConnectionAsync();
        var photoKey = await conn.ExecuteScalarAsync<string>("select photo_key from orders where id = @orderId", new { orderId });
        await Storage.Store.PutAsync(photoKey!, new MemoryStream(await TestMedia.PhotoAsync()), "image/jpeg");
        var progress = await Bot.SendMessage(userId, "⏳ Заказ принят");
        await conn.ExecuteAsync("update orders set language = @language, status_message_id = @id, format = @format, captions = @captions where id = @orderId",
            new { language, id = progress.MessageId, orderId, format, captions });
        var confirmed = Assert.IsType<ConfirmOrderResult.Confirmed>(await Db.Orders.ConfirmAsync(orderId, 1));
        return (user, orderId, confirmed.JobIds);
    }

    public async Task<IReadOnlyDictionary<Guid, (string Status, string? ErrorClass)>> JobsAsync(Guid orderId)
    {
        await using var conn = await Db.DataSource.OpenConnectionAsync();
        return (await conn.QueryAsync<(Guid Id, string Status, string? ErrorClass)>(
            "select id, status, error_class from jobs where order_id = @orderId", new { orderId })).ToDictionary(j => j.Id, j => (j.Status, j.ErrorClass));
    }

    public async Task WaitForJobsAsync(Guid orderId, Func<IReadOnlyDictionary<Guid, (string Status, string? ErrorClass)>, bool> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var jobs = await JobsAsync(orderId);
            if (done(jobs)) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("jobs: " + string.Join(", ", jobs.Values.Select(j => $"{j.Status}/{j.ErrorClass}")));
            await Task.Delay(100);
        }
    }

    public Task WaitAllFinishedAsync(Guid orderId, int seconds = 60) =>
        WaitForJobsAsync(orderId, jobs => jobs.Values.All(j => j.Status is "delivered" or "failed" or "undeliverable"), seconds);

    public async Task<int> RefundsAsync(Guid orderId)
    {
        await using var conn = await Db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>("select count(*)::int from ledger where order_id = @orderId and kind = 'refund'", new { orderId });
    }

    public async ValueTask DisposeAsync()
    {
        await OpenAi.DisposeAsync();
        await Kie.DisposeAsync();
        await Storage.DisposeAsync();
        await Emulator.DisposeAsync();
        await Db.DisposeAsync();
    }
}
