using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Data;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Tests.Fakes;
using NeuroCards.Tests.Infrastructure;
using NeuroCards.Tests.TelegramEmulator.Client;
using Npgsql;

namespace NeuroCards.Latency;

/// <summary>
/// PostgreSQL, the Telegram emulator, KIE's fake, the bot (webhook mode: it also takes KIE's callbacks) and one worker
/// at a time, configured as the chaos run configures them; orders are placed as "🚀 Start" places them.
/// </summary>
public sealed class Stack(string root, PostgresCluster cluster, NpgsqlDataSource db, EmulatorHost emulator, string token, KieFake kie,
    string botUrl, ServiceProcess bot, byte[] photo) : IAsyncDisposable
{
    private ServiceProcess? _worker;

    public EmulatorHost Emulator => emulator;
    public EmulatorClient Telegram => emulator.Client(token);
    public KieFake Kie => kie;
    private string MediaRoot => Path.Combine(root, "media");

    public static async Task<Stack> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "nc-latency-" + Guid.NewGuid().ToString("N")[..8]);
        var cluster = new PostgresCluster(Path.Combine(root, "pg"));
        await cluster.StartAsync();
        cluster.StopWhenProcessExits(Environment.ProcessId);
        await cluster.CreateDatabaseAsync("neurocards");
        var connectionString = cluster.ConnectionString("neurocards");
        await DatabaseMigrator.MigrateAsync(connectionString, NullLogger.Instance);
        var db = NpgsqlDataSource.Create(connectionString + ";Maximum Pool Size=40");
        var emulator = await EmulatorHost.StartAsync();
        var token = EmulatorHost.NewToken();
        var kie = await KieFake.StartAsync(await TestMedia.ResultVideoAsync());
        var botUrl = $"http://127.0.0.1:{PostgresCluster.FreePort()}";
        var bot = ServiceProcess.Start("NeuroCards.Bot", new Dictionary<string, string?>(Common(connectionString, token, emulator.BaseUrl, root, botUrl))
        {
            ["ASPNETCORE_URLS"] = botUrl,
            ["Telegram:Mode"] = "Webhook",
            ["Telegram:WebhookUrl"] = botUrl + "/telegram/webhook",
            ["Telegram:WebhookSecret"] = "latency-webhook-secret-0123456789",
            ["Bot:TermsUrl"] = "https://neurocards.example/terms",
            ["Bot:PrivacyUrl"] = "https://neurocards.example/privacy",
            ["Bot:SupportUrl"] = "https://t.me/neurocards_support",
        });
        var stack = new Stack(root, cluster, db, emulator, token, kie, botUrl, bot, await TestMedia.PhotoAsync());
        using var http = new HttpClient();
        for (var i = 0; ; i++)
        {
            try
            {
                if ((await http.GetAsync(botUrl + "/health")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (i < 200)
            {
            }
            if (bot.HasExited || i >= 200) throw new InvalidOperationException("the bot did not start:\n" + string.Join("\n", bot.Output.Take(20)));
            await Task.Delay(100);
        }
        return stack;
    }

    private static Dictionary<string, string?> Common(string connectionString, string token, string telegram, string root, string botUrl) => new()
    {
        ["ConnectionStrings:neurocards"] = connectionString,
        ["Telegram:BotToken"] = token,
        ["Telegram:ApiBaseUrl"] = telegram,
        ["Logging:LogLevel:Default"] = "Warning",
        ["Storage:Provider"] = "Local",
        ["Storage:LocalPath"] = Path.Combine(root, "media"),
        ["Storage:PublicBaseUrl"] = botUrl,
        ["Storage:SigningKey"] = "latency-signing-key-0123456789abcdef",
    };

    /// <summary>Starts the one worker (stopping the one before), with the given settings over the common ones.</summary>
    public async Task<ServiceProcess> StartWorkerAsync(IReadOnlyDictionary<string, string?> settings)
    {
        if (_worker is not null) await _worker.DisposeAsync();
        var all = Common(cluster.ConnectionString("neurocards"), token, emulator.BaseUrl, root, botUrl);
        all["Kie:BaseUrl"] = Kie.Url;
        all["Kie:ApiKeys"] = "key-a,key-b";
        all["Kie:CallbackBaseUrl"] = botUrl;
        all["Generation:Provider"] = "Kie";
        all["OpenAI:ApiKey"] = "";
        all["Worker:DemoSample"] = "false";
        foreach (var (key, value) in settings) all[key] = value;
        _worker = ServiceProcess.Start("NeuroCards.Worker", all);
        await Task.Delay(TimeSpan.FromSeconds(3)); // started and listening before it is measured
        if (_worker.HasExited) throw new InvalidOperationException("the worker did not start:\n" + string.Join("\n", _worker.Output.Take(20)));
        return _worker;
    }

    /// <summary>Stops the worker and fails whatever it left in the queue, so the next measurement starts from an empty one.</summary>
    public async Task ClearQueueAsync()
    {
        if (_worker is not null) await _worker.DisposeAsync();
        _worker = null;
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            update jobs set status = 'failed', stage = 'failed', error_class = 'unknown', error_text = 'latency run: cleared',
                            failed_at = now(), lease_owner = null, lease_token = null, locked_until = null
            where status in ('queued', 'running')
            """);
    }

    /// <summary>A user with credits and a 1-video draft order with its photo stored, as the conversation leaves it before "🚀 Start".</summary>
    public async Task<(EmulatorUser User, Guid OrderId)> DraftAsync(long userId)
    {
        var user = await Telegram.UserAsync(userId, "Seller", "ru");
        var ledger = DataLayer.Over(db).Ledger;
        await ledger.EnsureUserAsync(userId, null, "Seller", "ru");
        await ledger.GrantAsync(userId, 1, "latency run", 1);
        var orderId = Guid.CreateVersion7();
        var photoKey = $"inputs/{DateTime.UtcNow:yyyy}/{DateTime.UtcNow:MM}/{orderId}.jpg";
        var file = Path.Combine(MediaRoot, photoKey);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, photo);
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            insert into orders (id, user_id, chat_id, language, photo_key, description, template, wishes, model, count, captions)
            values (@orderId, @userId, @userId, 'ru', @photoKey, 'Керамическая кружка 350 мл, ручная работа', 'ugc', 'уютная кухня', 'seedance-2', 1, false)
            """, new { orderId, userId, photoKey });
        return (user, orderId);
    }

    /// <summary>What "🚀 Start" does: the charge and the job in one transaction.</summary>
    public Task<ConfirmOrderResult> PressStartAsync(Guid orderId) => DataLayer.Over(db).Orders.ConfirmAsync(orderId, 1);

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null) await _worker.DisposeAsync();
        await bot.DisposeAsync();
        await kie.DisposeAsync();
        await emulator.DisposeAsync();
        await db.DisposeAsync();
        await cluster.DisposeAsync();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
