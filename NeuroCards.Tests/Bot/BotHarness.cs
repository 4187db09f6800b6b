using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NeuroCards.Bot;
using NeuroCards.Core.Storage;
using NeuroCards.Tests.Core.Storage;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.Bot;

/// <summary>The real bot against PostgreSQL, local storage and the Telegram emulator.</summary>
/// <param name="throughPgBouncer">Every connection of the bot (and of the test) through PgBouncer in transaction mode.</param>
public sealed class BotHarness(bool throughPgBouncer = false) : IAsyncLifetime
{
    public const long AdminId = 42_4242;

    public DatabaseFixture Db { get; } = new() { ThroughPgBouncer = throughPgBouncer };
    public EmulatorHost Emulator { get; private set; } = null!;
    public StorageBackend Storage { get; private set; } = null!;
    public string Token { get; } = EmulatorHost.NewToken();
    public EmulatorClient Telegram => Emulator.Client(Token);
    public WebApplication? App { get; private set; }
    public string Environment { get; set; } = "Development";
    public Dictionary<string, string?> Overrides { get; } = [];

    /// <summary>Where the bot listens; a fixed port when its public URL must be known before it starts (the Mini App).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";
    /// <summary>Every log line the bot wrote, at Information and above.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Db.InitializeAsync();
        Emulator = await EmulatorHost.StartAsync();
        Storage = await StorageBackend.StartAsync(StorageProvider.Local);
    }

    public Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>(Storage.Settings)
        {
            ["ConnectionStrings:neurocards"] = Db.ConnectionString,
            ["Telegram:BotToken"] = Token,
            ["Telegram:ApiBaseUrl"] = Emulator.BaseUrl,
            ["Telegram:Mode"] = "Polling",
            ["Telegram:AdminIds"] = AdminId.ToString(),
            ["Bot:TermsUrl"] = "https://neurocards.example/terms",
            ["Bot:PrivacyUrl"] = "https://neurocards.example/privacy",
            ["Bot:SupportUrl"] = "https://t.me/neurocards_support",
        };
        foreach (var (k, v) in Overrides) settings[k] = v;
        return settings;
    }

    public async Task<WebApplication> StartBotAsync()
    {
        var settings = Settings();
        App = BotApp.Build(["--environment", Environment], builder =>
        {
            builder.WebHost.UseUrls(Urls);
            builder.Logging.ClearProviders();
            if (System.Environment.GetEnvironmentVariable("NC_TEST_LOGS") == "1") builder.Logging.AddConsole();
            builder.Logging.AddProvider(Logs);
            builder.Configuration.AddInMemoryCollection(settings);
        });
        await App.StartAsync();
        return App;
    }

    /// <summary>A user who has accepted the terms and sits at the main menu.</summary>
    public async Task<EmulatorUser> OnboardedUserAsync(string language = "ru", long? id = null)
    {
        var user = await Telegram.UserAsync(id ?? TestData.NewUserId(), "Анна", language);
        await user.Send("/start");
        var consent = await user.Expect(m => m.Buttons.Any(b => b.CallbackData == "consent"));
        await user.PressData(consent, "consent");
        await user.Expect(m => m.Buttons.Any(b => b.CallbackData == "create"));
        return user;
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        await Storage.DisposeAsync();
        await Emulator.DisposeAsync();
        await Db.DisposeAsync();
    }
}
