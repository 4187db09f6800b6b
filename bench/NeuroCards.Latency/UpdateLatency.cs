using System.Diagnostics;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Latency;

/// <summary>
/// Update handling, the bot next to a bare echo bot on the same emulator (both in webhook mode): many chats sending at a
/// fixed rate (latency from the user's message to the answer, by the emulator's clock), then every chat sending a burst
/// at once (the most updates per second handled).
/// </summary>
public sealed class UpdateLatency(Stack stack)
{
    private const string Command = "/help";
    private const int Seconds = 10;
    private const int Burst = 10;

    public async Task RunAsync(int chats, int rate)
    {
        var ours = new List<EmulatorUser>();
        for (var i = 0; i < chats; i++) ours.Add(await stack.Telegram.UserAsync(940_000_000 + i, "Анна", "ru"));
        await Task.WhenAll(ours.Select(u => u.Send("/start")));
        await Task.WhenAll(ours.Select(async u => await u.Press(await u.Expect(m => m.FromBot && m.HasButton("Принимаю")), "Принимаю")));
        await Task.WhenAll(ours.Select(u => u.Expect(m => m.FromBot && m.Contains("Главное меню"))));
        static bool OurAnswer(ChatMessage m) => m.Contains("Я делаю вертикальные видео");
        var ourRate = await AtRateAsync(ours, rate, OurAnswer);
        var ourMax = await BurstAsync(ours, OurAnswer);

        var echoToken = Tests.TelegramEmulator.Client.EmulatorHost.NewToken();
        await using var echo = await EchoBot.StartAsync(stack.Emulator.BaseUrl, echoToken);
        var echoes = new List<EmulatorUser>();
        for (var i = 0; i < chats; i++) echoes.Add(await stack.Emulator.Client(echoToken).UserAsync(950_000_000 + i, "Анна", "ru"));
        static bool Echoed(ChatMessage m) => m.Text == Command;
        var echoRate = await AtRateAsync(echoes, rate, Echoed);
        var echoMax = await BurstAsync(echoes, Echoed);

        Console.WriteLine($"update handling, {chats} chats at {rate} updates/s for {Seconds} s: bot p50 {ourRate.P50:F0} ms, p99 {ourRate.P99:F0} ms; " +
                          $"echo bot p50 {echoRate.P50:F0} ms, p99 {echoRate.P99:F0} ms");
        Console.WriteLine($"most updates/s ({chats} chats × {Burst} at once): bot {ourMax:F0}, echo bot {echoMax:F0} ({100 * ourMax / echoMax:F0} %)");
    }

    private static async Task<(double P50, double P99)> AtRateAsync(IReadOnlyList<EmulatorUser> users, int rate, Func<ChatMessage, bool> isAnswer)
    {
        // Warm: every chat once, answered, before the clock runs (the first of anything is compiled on the spot).
        var warm = await MarksAsync(users);
        await Task.WhenAll(users.Select(u => u.Send(Command)));
        await PairsAsync(users, warm, isAnswer);

        var marks = await MarksAsync(users);
        var total = rate * Seconds;
        var sends = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var wait = TimeSpan.FromSeconds((double)i / rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            sends.Add(users[i % users.Count].Send(Command));
        }
        await Task.WhenAll(sends);
        var pairs = await PairsAsync(users, marks, isAnswer);
        var latencies = pairs.Select(p => (double)(p.Answer - p.Sent)).ToList();
        return (Stats.Percentile(latencies, 0.5), Stats.Percentile(latencies, 0.99));
    }

    private static async Task<double> BurstAsync(IReadOnlyList<EmulatorUser> users, Func<ChatMessage, bool> isAnswer)
    {
        var marks = await MarksAsync(users);
        await Task.WhenAll(users.Select(async u =>
        {
            for (var i = 0; i < Burst; i++) await u.Send(Command);
        }));
        var pairs = await PairsAsync(users, marks, isAnswer);
        var seconds = (pairs.Max(p => p.Answer) - pairs.Min(p => p.Sent)) / 1000.0;
        return pairs.Count / seconds;
    }

    private static async Task<Dictionary<long, int>> MarksAsync(IReadOnlyList<EmulatorUser> users)
    {
        var marks = new Dictionary<long, int>();
        foreach (var user in users) marks[user.Id] = (await user.Transcript()).Select(m => m.Id).DefaultIfEmpty(0).Max();
        return marks;
    }

    /// <summary>Each command sent after the mark with the answer that came for it (a chat's answers come in order).</summary>
    private static async Task<List<(long Sent, long Answer)>> PairsAsync(IReadOnlyList<EmulatorUser> users, Dictionary<long, int> marks,
        Func<ChatMessage, bool> isAnswer)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var pairs = new List<(long, long)>();
            var complete = true;
            foreach (var user in users)
            {
                var recent = (await user.Transcript()).Where(m => m.Id > marks[user.Id]).ToList();
                var sent = recent.Where(m => !m.FromBot && m.Text == Command).ToList();
                var answers = recent.Where(m => m.FromBot && isAnswer(m)).ToList();
                if (answers.Count < sent.Count) complete = false;
                pairs.AddRange(sent.Zip(answers, (s, a) => (s.ArrivedAtMs, a.ArrivedAtMs)));
            }
            if (complete) return pairs;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("answers missing after 3 minutes");
            await Task.Delay(500);
        }
    }
}
