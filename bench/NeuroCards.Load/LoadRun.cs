using System.Diagnostics;
using NeuroCards.Tests.Fakes;
using NeuroCards.Tests.Infrastructure;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Load;

/// <summary>
/// The load run: every chat at once goes through the consent, then sends commands one after another, each after the
/// answer to the one before (as people do). Measured from the emulator's own clock: a user's message → the bot's answer.
/// Checked: every command answered exactly once, in the order sent, and which replica handled how many updates.
/// </summary>
public sealed class LoadRun(int chats, int messages, int replicas)
{
    private static readonly string[] Commands = ["/help", "/account", "/menu"];

    public async Task<int> RunAsync()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var name = new Npgsql.NpgsqlConnectionStringBuilder(database).Database!;
        // Each replica's pool is its share of the pooler's server connections; the bot keeps a quarter of it for its
        // background work and takes updates with the rest (UpdateProcessor.ConcurrentUpdates).
        var pooled = await PgBouncerServer.ConnectionStringAsync(name) + $";Maximum Pool Size={PgBouncerServer.PoolSize / replicas}";
        await using var emulator = await EmulatorHost.StartAsync();
        var token = EmulatorHost.NewToken();
        var telegram = emulator.Client(token);

        var ports = Enumerable.Range(0, replicas).Select(_ => PostgresCluster.FreePort()).ToArray();
        await using var balancer = await WebhookBalancer.StartAsync(ports);
        var served = balancer.Served;

        var users = new List<EmulatorUser>();
        for (var i = 0; i < chats; i++) users.Add(await telegram.UserAsync(7_000_000_000 + i, "Анна", "ru"));

        var media = Path.Combine(Path.GetTempPath(), "nc-load-media-" + Guid.NewGuid().ToString("N")[..8]);
        var bots = ports.Select(port => ServiceProcess.Start("NeuroCards.Bot", new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings:neurocards"] = pooled,
            ["Telegram:BotToken"] = token,
            ["Telegram:ApiBaseUrl"] = emulator.BaseUrl,
            ["Telegram:Mode"] = "Webhook",
            ["Telegram:WebhookUrl"] = balancer.WebhookUrl,
            ["Telegram:WebhookSecret"] = "load-webhook-secret-0123456789",
            ["Storage:Provider"] = "Local",
            ["Storage:LocalPath"] = media,
            ["Storage:PublicBaseUrl"] = "http://127.0.0.1:9/media",
            ["Storage:SigningKey"] = "load-signing-key-0123456789",
            ["Bot:TermsUrl"] = "https://neurocards.example/terms",
            ["Bot:PrivacyUrl"] = "https://neurocards.example/privacy",
            ["Bot:SupportUrl"] = "https://t.me/neurocards_support",
            ["Logging:LogLevel:Default"] = "Warning",
        })).ToList();
        try
        {
            Console.WriteLine($"{chats} chats × {messages} commands, {replicas} bot replicas in webhook mode, PgBouncer transaction mode (pool {PgBouncerServer.PoolSize})");
            var clock = Stopwatch.StartNew();
            // Every chat at once, each as a person would: /start, the consent, then the commands one after another
            // without waiting (Telegram keeps a chat's updates in order). The driver only looks, every half second.
            await Task.WhenAll(users.Select(u => u.Send("/start")));
            await UntilAsync(users, t => t.Any(m => m.FromBot && m.HasButton("Принимаю")));
            await Task.WhenAll(users.Select(async u => await u.Press((await u.Transcript()).First(m => m.HasButton("Принимаю")), "Принимаю")));
            await UntilAsync(users, t => t.Any(m => m.FromBot && m.Contains("Главное меню")));
            await Task.WhenAll(users.Select(async u =>
            {
                for (var i = 0; i < messages; i++) await u.Send(Commands[i % Commands.Length]);
            }));
            await UntilAsync(users, t => t.Count(m => m.FromBot && Commands.Any(c => Answers(c, m.Text))) >= messages + 1);
            var elapsed = clock.Elapsed;
            await Task.Delay(2000); // anything sent twice would be here by now

            var latencies = new List<long>();
            int duplicates = 0, outOfOrder = 0, unanswered = 0;
            foreach (var user in users)
            {
                var transcript = await user.Transcript();
                var first = transcript.ToList().FindIndex(m => !m.FromBot && Commands.Contains(m.Text));
                if (first < 0) { unanswered += messages; continue; }
                var sent = transcript.Skip(first).Where(m => !m.FromBot && Commands.Contains(m.Text)).ToList();
                var answers = transcript.Skip(first).Where(m => m.FromBot && Commands.Any(c => Answers(c, m.Text))).ToList();
                if (answers.Count > sent.Count) duplicates += answers.Count - sent.Count;
                for (var i = 0; i < sent.Count; i++)
                {
                    if (i >= answers.Count) { unanswered++; continue; }
                    if (!Answers(sent[i].Text, answers[i].Text)) outOfOrder++;
                    latencies.Add(answers[i].ArrivedAtMs - sent[i].ArrivedAtMs);
                }
            }
            latencies.Sort();
            long P(double q) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
            var updates = served.Values.Sum();
            Console.WriteLine($"updates delivered {updates} in {elapsed.TotalSeconds:0.0} s ({updates / elapsed.TotalSeconds:0} updates/s); per replica: "
                              + string.Join(", ", ports.Select(p => served.GetValueOrDefault(p))));
            Console.WriteLine($"answer latency ms: p50 {P(0.50)}, p95 {P(0.95)}, p99 {P(0.99)}, max {(latencies.Count > 0 ? latencies[^1] : 0)} ({latencies.Count} commands)");
            Console.WriteLine($"unanswered {unanswered}, answered twice {duplicates}, answered out of order {outOfOrder}");
            return unanswered + duplicates + outOfOrder == 0 ? 0 : 1;
        }
        catch (TimeoutException)
        {
            foreach (var bot in bots) Console.WriteLine($"bot exited: {bot.HasExited}, {bot.Output.Count} line(s)\n" + string.Join("\n", bot.Output.Take(12).Select(l => "  > " + l)));
            throw;
        }
        finally
        {
            foreach (var bot in bots) await bot.DisposeAsync();
            try { Directory.Delete(media, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Waits until every chat's transcript satisfies <paramref name="done"/> (3 minutes at most).</summary>
    private static async Task UntilAsync(IReadOnlyList<EmulatorUser> users, Func<IReadOnlyList<ChatMessage>, bool> done)
    {
        var waiting = users.ToList();
        var deadline = DateTime.UtcNow.AddMinutes(users.Count > 50 ? 3 : 0.5);
        while (waiting.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                var sample = await waiting[0].Transcript();
                throw new TimeoutException($"{waiting.Count} chat(s) still waiting for an answer; one of them: "
                                           + string.Join(" | ", sample.Select(m => (m.FromBot ? "bot: " : "user: ") + m.Text[..Math.Min(60, m.Text.Length)])));
            }
            await Task.Delay(500);
            var still = new List<EmulatorUser>();
            foreach (var user in waiting) if (!done(await user.Transcript())) still.Add(user);
            waiting = still;
        }
    }

    private static bool Answers(string command, string text) => command switch
    {
        "/help" => text.Contains("Я делаю вертикальные видео"),
        "/account" => text.Contains("Мой кабинет"),
        "/menu" => text.Contains("Главное меню"),
        _ => true,
    };
}
