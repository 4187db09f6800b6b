using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Data;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Tests.Fakes;
using NeuroCards.Tests.Infrastructure;
using NeuroCards.Tests.TelegramEmulator.Client;
using Npgsql;

namespace NeuroCards.Chaos;

/// <summary>
/// The real bot and workers as processes against the Telegram emulator, the KIE fake and a real PostgreSQL cluster.
/// Orders of 1, 3 and 5 videos are charged for many users while workers and the bot are killed with kill -9 at random
/// and PostgreSQL is restarted; then the queue drains and the books are checked from the database and the chats.
/// </summary>
public sealed class ChaosRun(ChaosOptions options, Action<string> log)
{
    private readonly Random _random = new(options.Seed);
    // The chaos loop runs beside the order placing: a Random of its own (Random is not thread-safe).
    private readonly Random _chaosRandom = new(options.Seed + 1);
    private int _workerKills;
    private int _botKills;
    private int _postgresRestarts;
    private int _placed;
    private int _tooManyRequests;
    private int _adminRefunds;
    private readonly List<string> _grants = [];
    private const long AdminId = 790_000_001;

    public async Task<ChaosReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = DateTime.UtcNow;
        var root = Path.Combine(Path.GetTempPath(), "nc-chaos-" + Guid.NewGuid().ToString("N")[..8]);
        await using var cluster = new PostgresCluster(Path.Combine(root, "pg"));
        await cluster.StartAsync(cancellationToken);
        cluster.StopWhenProcessExits(Environment.ProcessId);
        await cluster.CreateDatabaseAsync("neurocards", cancellationToken: cancellationToken);
        var connectionString = cluster.ConnectionString("neurocards");
        await DatabaseMigrator.MigrateAsync(connectionString, NullLogger.Instance, cancellationToken);
        await using var db = NpgsqlDataSource.Create(connectionString + ";Timeout=5;Maximum Pool Size=50");
        var data = DataLayer.Over(db);

        await using var emulator = await EmulatorHost.StartAsync();
        var token = EmulatorHost.NewToken();
        var telegram = emulator.Client(token);
        await using var kie = await KieFake.StartAsync(await TestMedia.ResultVideoAsync());
        var outcomes = new KieOutcomes(options.Seed);
        kie.ScriptFor = _ => outcomes.Next();
        var photo = await TestMedia.PhotoAsync();

        // The replicas behind one webhook URL, as an operator's balancer would put them (no stickiness).
        var botPorts = Enumerable.Range(0, options.BotReplicas).Select(_ => PostgresCluster.FreePort()).ToArray();
        await using var balancer = await WebhookBalancer.StartAsync(botPorts);
        var botUrl = $"http://127.0.0.1:{botPorts[0]}";
        await using var azurite = new AzuriteServer();
        var common = new Dictionary<string, string?>
        {
            ["ConnectionStrings:neurocards"] = connectionString,
            ["Telegram:BotToken"] = token,
            ["Telegram:ApiBaseUrl"] = emulator.BaseUrl,
            ["Telegram:AdminIds"] = AdminId.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        BlobContainerClient? container = null;
        if (options.LocalStorage)
        {
            common["Storage:Provider"] = "Local";
            common["Storage:LocalPath"] = Path.Combine(root, "media");
            common["Storage:PublicBaseUrl"] = botUrl;
            common["Storage:SigningKey"] = "chaos-signing-key-0123456789abcdef";
        }
        else
        {
            await azurite.StartAsync(cancellationToken);
            common["Storage:Provider"] = "AzureBlob";
            common["ConnectionStrings:blobs"] = azurite.ConnectionString;
            common["Storage:Container"] = "media";
            container = new BlobContainerClient(azurite.ConnectionString, "media");
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        var botSettings = botPorts.Select(port => new Dictionary<string, string?>(common)
        {
            ["Telegram:Mode"] = "Webhook",
            ["Telegram:WebhookUrl"] = balancer.WebhookUrl,
            ["Telegram:WebhookSecret"] = "chaos-webhook-secret-0123456789",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        }).ToArray();
        var workerSettings = new Dictionary<string, string?>(common)
        {
            ["Kie:BaseUrl"] = kie.Url,
            ["Kie:ApiKeys"] = "key-a,key-b",
            ["Kie:CallbackBaseUrl"] = botUrl,
            ["Kie:PollSeconds"] = "1",
            ["Kie:MaxAttempts"] = "3",
            ["Kie:DeadlineMinutes"] = "1",
            ["Kie:RateLimitRestSeconds"] = "2",
            ["Generation:Provider"] = "Kie",
            ["OpenAI:ApiKey"] = "",
            // Two workers, the bot, PostgreSQL, Azurite, the emulator and KIE's fake share 2 cores here: a worker carrying
            // hundreds of jobs at once only makes every step slower (and every kill take more of them over).
            ["Worker:MaxInFlight"] = "40",
            ["Worker:LeaseSeconds"] = "6",
            ["Worker:PollSeconds"] = "0.5",
            // Long enough for a retry to outlast a bot restart (the bot serves the photos KIE fetches, with local storage).
            ["Worker:RetryBaseSeconds"] = "3",
            ["Worker:ShutdownGraceSeconds"] = "3",
            ["Worker:DemoSample"] = "false",
        };

        var bots = botSettings.Select(settings => ServiceProcess.Start("NeuroCards.Bot", settings)).ToArray();
        var workers = Enumerable.Range(0, options.Workers).Select(_ => ServiceProcess.Start("NeuroCards.Worker", workerSettings)).ToArray();
        try
        {
            var users = new List<long>();
            var blocked = 0;
            for (var i = 0; i < options.Users; i++)
            {
                var id = 800_000_000L + options.Seed * 10_000L + i;
                var user = await telegram.UserAsync(id, "Seller " + i, i % 3 == 0 ? "en" : "ru");
                await RetryAsync(() => data.Ledger.EnsureUserAsync(id, null, "Seller " + i, "ru", cancellationToken), cancellationToken);
                users.Add(id);
                if (i % options.BlockedOneIn == options.BlockedOneIn - 1)
                {
                    await user.Block();
                    blocked++;
                }
            }
            var admin = await telegram.UserAsync(AdminId, "Admin", "ru");
            await admin.Send("/start");
            await admin.PressData(await admin.Expect(m => m.Buttons.Any(b => b.CallbackData == "consent"), TimeSpan.FromSeconds(60)), "consent");
            await admin.Expect(m => m.Buttons.Any(b => b.CallbackData == "create"), TimeSpan.FromSeconds(60));

            using var chaos = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var supervision = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // As systemd's Restart= or compose's restart policy would: a process that exited (it may fail to start while
            // PostgreSQL is down) is started again.
            var supervisor = SuperviseAsync(bots, botSettings, workers, workerSettings, supervision.Token);
            var chaosTask = ChaosAsync(cluster, bots, workers, chaos.Token);
            await PlaceOrdersAsync(db, data, users, photo, Path.Combine(root, "media"), container, admin, telegram, cancellationToken);
            await chaos.CancelAsync();
            await chaosTask;
            log("orders placed; waiting for the queue and the outbox to drain");
            await DrainAsync(db, cancellationToken);
            await supervision.CancelAsync();
            await supervisor;
            // Closing messages and last edits go out after the last job ends.
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            return await CheckAsync(db, telegram, users, kie, started, cancellationToken) with
            {
                BotReplicas = options.BotReplicas,
                BlockedUsers = blocked,
                TooManyRequests = _tooManyRequests,
                AdminRefunds = _adminRefunds,
            };
        }
        finally
        {
            foreach (var bot in bots) await bot.DisposeAsync();
            foreach (var worker in workers) await worker.DisposeAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private async Task PlaceOrdersAsync(NpgsqlDataSource db, DataLayer data, IReadOnlyList<long> users, byte[] photo, string mediaRoot,
        BlobContainerClient? container, EmulatorUser admin, EmulatorClient telegram, CancellationToken cancellationToken)
    {
        string[] methods = ["sendMessage", "editMessageText", "sendVideo", "editMessageReplyMarkup"];
        var pause = options.PlacingTime / Math.Max(1, options.Orders);
        for (var n = 0; n < options.Orders; n++)
        {
            var userId = users[n % users.Count];
            var count = _random.NextDouble() switch { < 0.5 => 1, < 0.85 => 3, _ => 5 };
            var orderId = Guid.CreateVersion7();
            var photoKey = $"inputs/{DateTime.UtcNow:yyyy}/{DateTime.UtcNow:MM}/{orderId}.jpg";
            // The photo is stored once per order, as the bot does.
            if (container is not null)
            {
                await container.UploadBlobAsync(photoKey, new BinaryData(photo), cancellationToken);
            }
            else
            {
                var file = Path.Combine(mediaRoot, photoKey);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllBytesAsync(file, photo, cancellationToken);
            }
            await RetryAsync(async () =>
            {
                await data.Ledger.GrantAsync(userId, count, "chaos run", 1, cancellationToken);
                await using var conn = await db.OpenConnectionAsync(cancellationToken);
                await conn.ExecuteAsync(new CommandDefinition("""
                    insert into orders (id, user_id, chat_id, language, photo_key, description, template, wishes, model, count, captions)
                    values (@orderId, @userId, @userId, 'ru', @photoKey, 'Керамическая кружка 350 мл, ручная работа', 'ad', 'уютная кухня', 'seedance-2', @count,
                            false)
                    on conflict (id) do nothing
                    """, new { orderId, userId, photoKey, count }, cancellationToken: cancellationToken));
                return 0;
            }, cancellationToken);
            // The seller presses Start, sometimes twice.
            await RetryAsync(() => data.Orders.ConfirmAsync(orderId, 1, cancellationToken: cancellationToken), cancellationToken);
            if (n % 7 == 0) await RetryAsync(() => data.Orders.ConfirmAsync(orderId, 1, cancellationToken: cancellationToken), cancellationToken);
            Interlocked.Increment(ref _placed);
            if ((n + 1) % 50 == 0) log($"{n + 1} orders placed");
            if (n % options.AdminEvery == options.AdminEvery - 1) await AdminAsync(db, admin, users[_random.Next(users.Count)], n, cancellationToken);
            if (n % options.TooManyRequestsEvery == options.TooManyRequestsEvery - 1)
            {
                // Telegram's flood control: the next calls of one method are refused with a retry_after.
                var refused = 2 + _random.Next(6);
                await telegram.InjectFaultAsync(methods[_random.Next(methods.Length)], "429", refused, retryAfter: 1 + _random.Next(3));
                _tooManyRequests += refused;
            }
            await Task.Delay(pause, cancellationToken);
        }
    }

    /// <summary>An admin at work during the run: a credit granted to a seller, and every other time a queued job refunded.</summary>
    private async Task AdminAsync(NpgsqlDataSource db, EmulatorUser admin, long userId, int n, CancellationToken cancellationToken)
    {
        var reason = $"chaos-grant-{n}";
        lock (_grants) _grants.Add(reason);
        await admin.Send($"/grant {userId} 1 {reason}");
        if (n / options.AdminEvery % 2 == 1) return;
        var queued = await RetryAsync(async () =>
        {
            await using var conn = await db.OpenConnectionAsync(cancellationToken);
            return await conn.ExecuteScalarAsync<Guid?>("select id from jobs where status = 'queued' order by random() limit 1");
        }, cancellationToken);
        if (queued is null) return;
        await admin.Send($"/refund {queued}");
        _adminRefunds++;
    }

    private async Task ChaosAsync(PostgresCluster cluster, ServiceProcess[] bots, ServiceProcess[] workers, CancellationToken cancellationToken)
    {
        // Spread over the orders, whatever time placing them takes on this machine.
        var restartAt = Enumerable.Range(1, options.PostgresRestarts).Select(i => options.Orders * i / (options.PostgresRestarts + 1)).ToList();
        try
        {
            while (true)
            {
                await Task.Delay(options.KillEvery * (0.5 + _chaosRandom.NextDouble()), cancellationToken);
                if (restartAt.Count > 0 && Volatile.Read(ref _placed) >= restartAt[0])
                {
                    restartAt.RemoveAt(0);
                    log("restarting PostgreSQL");
                    await cluster.StopAsync();
                    await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                    await cluster.StartAsync(cancellationToken);
                    _postgresRestarts++;
                    continue;
                }
                // Every third kill takes a bot replica (updates in hand, the outbox's sends, KIE callbacks); the rest a worker.
                // The supervisor starts the killed process again within a second or so.
                lock (workers)
                {
                    if ((_workerKills + _botKills) % 3 == 2)
                    {
                        var i = _chaosRandom.Next(bots.Length);
                        bots[i].Kill();
                        _botKills++;
                        log($"kill -9 bot replica {i}");
                    }
                    else
                    {
                        var i = _chaosRandom.Next(workers.Length);
                        workers[i].Kill();
                        _workerKills++;
                        log($"kill -9 worker {i}");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SuperviseAsync(ServiceProcess[] bots, Dictionary<string, string?>[] botSettings,
        ServiceProcess[] workers, Dictionary<string, string?> workerSettings, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                lock (workers)
                {
                    for (var i = 0; i < bots.Length; i++)
                    {
                        if (!bots[i].HasExited) continue;
                        log($"bot replica {i} had exited: started again");
                        bots[i] = ServiceProcess.Start("NeuroCards.Bot", botSettings[i]);
                    }
                    for (var i = 0; i < workers.Length; i++)
                    {
                        if (!workers[i].HasExited) continue;
                        log($"worker {i} had exited: started again");
                        workers[i] = ServiceProcess.Start("NeuroCards.Worker", workerSettings);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DrainAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + options.DrainTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var open = await RetryAsync(async () =>
            {
                await using var conn = await db.OpenConnectionAsync(cancellationToken);
                return await conn.ExecuteScalarAsync<int>(
                    "select (select count(*)::int from jobs where status in ('queued', 'running')) + (select count(*)::int from telegram_outbox)");
            }, cancellationToken);
            if (open == 0) return;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private sealed record JobRow(Guid Id, Guid OrderId, long UserId, string Status, string? ErrorClass, int Attempt, int Takeovers,
        string? TelegramFileId, int Refunds);

    private async Task<ChaosReport> CheckAsync(NpgsqlDataSource db, EmulatorClient telegram, IReadOnlyList<long> users, KieFake kie,
        DateTime started, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken);
        var jobs = (await conn.QueryAsync<JobRow>("""
            select j.id, j.order_id, j.user_id, j.status, j.error_class, j.attempt, j.takeovers, j.telegram_file_id,
                   (select count(*)::int from ledger l where l.job_id = j.id and l.kind = 'refund') as refunds
            from jobs j
            """)).AsList();
        var balanceMismatches = await conn.ExecuteScalarAsync<int>("""
            select count(*)::int from users u
            where u.balance <> coalesce((select sum(amount) from ledger l where l.user_id = u.id), 0)
            """);
        var chargedNotDelivered = await conn.ExecuteScalarAsync<int>("""
            select count(*)::int from orders o
            where o.status <> 'draft'
              and -coalesce((select sum(amount) from ledger l where l.order_id = o.id and l.kind in ('charge', 'refund')), 0)
                  <> (select count(*) from jobs j where j.order_id = o.id and j.status in ('delivered', 'undeliverable'))
            """);

        List<string> grants;
        lock (_grants) grants = [.. _grants];
        var granted = (await conn.QueryAsync<(string Reason, int Count)>(
            "select reason, count(*)::int from ledger where kind = 'grant' and reason like 'chaos-grant-%' group by reason")).ToDictionary(g => g.Reason, g => g.Count);
        var grantErrors = grants.Count(g => granted.GetValueOrDefault(g) != 1) + granted.Keys.Count(g => !grants.Contains(g));
        var confirmations = (await telegram.TranscriptAsync(AdminId)).Messages.Count(m => m.FromBot && m.Contains("Готово:"));
        var outboxLeft = await conn.ExecuteScalarAsync<int>("select count(*)::int from telegram_outbox");

        // Every video in every chat, by the file id Telegram gave it.
        var sent = new Dictionary<string, int>();
        var unexplained = 0;
        var deliveredIds = jobs.Where(j => j.Status == "delivered").Select(j => j.TelegramFileId!).ToHashSet();
        foreach (var user in users)
        {
            var videos = (await telegram.TranscriptAsync(user)).Messages
                .Where(m => m.FromBot && m.Video is not null).Select(m => m.Video!["file_id"]!.GetValue<string>()).ToList();
            foreach (var fileId in videos) sent[fileId] = sent.GetValueOrDefault(fileId) + 1;
            // A second copy is explained only by a worker that sent the video and died before recording it, so its job was
            // taken over: per chat, no more extra copies than such jobs.
            var extra = videos.Count(v => !deliveredIds.Contains(v));
            var takenOver = jobs.Count(j => j.UserId == user && j.Status is "delivered" or "undeliverable" && j.Takeovers > 0);
            unexplained += Math.Max(0, extra - takenOver);
        }
        var delivered = jobs.Where(j => j.Status == "delivered").ToList();
        var lost = delivered.Count(j => !sent.ContainsKey(j.TelegramFileId!));
        var duplicates = sent.Values.Sum() - sent.Keys.Count(deliveredIds.Contains);

        // KIE tasks per order (the photo's key, with the order id, is in the task's image URL) against the attempts counted.
        var tasksByOrder = kie.Tasks.Values
            .Select(t => t.Body["input"]?["first_frame_url"]?.GetValue<string>() ?? t.Body["input"]?["image_urls"]?[0]?.GetValue<string>()
                         ?? t.Body["imageUrls"]?[0]?.GetValue<string>() ?? "")
            .Select(url => jobs.Select(j => j.OrderId).FirstOrDefault(o => url.Contains(o.ToString())))
            .GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        var attemptsByOrder = jobs.GroupBy(j => j.OrderId).ToDictionary(g => g.Key, g => g.Sum(j => j.Attempt));
        var tasksOverAttempts = tasksByOrder.Count(t => t.Value > attemptsByOrder.GetValueOrDefault(t.Key));

        // The cost ledger: every task KIE created is on the books (written before the call), and what the delivered videos cost.
        var paidByOrder = (await conn.QueryAsync<(Guid OrderId, int Calls)>("""
            select j.order_id, count(*)::int from kie_tasks k join jobs j on j.id = k.job_id where k.outcome <> 'refused' group by j.order_id
            """)).ToDictionary(p => p.OrderId, p => p.Calls);
        var tasksUnrecorded = tasksByOrder.Sum(t => Math.Max(0, t.Value - paidByOrder.GetValueOrDefault(t.Key)));
        var kieCredits = await conn.ExecuteScalarAsync<decimal>("select coalesce(sum(credits), 0) from kie_tasks");

        return new ChaosReport
        {
            Orders = jobs.Select(j => j.OrderId).Distinct().Count(),
            Users = users.Count,
            Jobs = jobs.Count,
            Delivered = delivered.Count,
            Failed = jobs.Count(j => j.Status == "failed"),
            Undeliverable = jobs.Count(j => j.Status == "undeliverable"),
            FailedByClass = jobs.Where(j => j.Status == "failed").GroupBy(j => j.ErrorClass ?? "unknown").ToDictionary(g => g.Key, g => g.Count()),
            WorkerKills = _workerKills,
            BotKills = _botKills,
            PostgresRestarts = _postgresRestarts,
            KieTasks = kie.Tasks.Count,
            TasksUnrecorded = tasksUnrecorded,
            KieCredits = kieCredits,
            Takeovers = jobs.Sum(j => j.Takeovers),
            Elapsed = DateTime.UtcNow - started,
            Stuck = jobs.Count(j => j.Status is "queued" or "running"),
            RefundErrors = jobs.Count(j => j.Status == "failed" ? j.Refunds != 1 : j.Refunds != 0),
            BalanceMismatches = balanceMismatches,
            ChargedNotDelivered = chargedNotDelivered,
            Lost = lost,
            DuplicateDeliveries = duplicates,
            UnexplainedDuplicates = unexplained,
            TasksOverAttempts = tasksOverAttempts,
            GrantsSent = grants.Count,
            GrantErrors = grantErrors,
            GrantsUnconfirmed = Math.Max(0, granted.Count - confirmations),
            OutboxLeft = outboxLeft,
        };
    }

    /// <summary>The driver's own database calls ride out a PostgreSQL restart.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && attempt < 60)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }
}
