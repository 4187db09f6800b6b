using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NeuroCards.AppHost.Hosting;
using NeuroCards.AppHost.Resources;
using NeuroCards.TelegramEmulator.Client;

namespace NeuroCards.Tests.AppHost;

/// <summary>The README's run command, for real: every resource healthy, an order to a delivered video, a crash restarted, a clean stop.</summary>
public sealed class AppHostRunTests : IAsyncLifetime
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "nc-apphost-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int _port = PostgresCluster.FreePort();
    private Process _appHost = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { ServiceProcess.Dll("NeuroCards.AppHost"), "--state-dir", _state, "--storage", "local", "--dashboard-port", _port.ToString() })
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("Telegram__BotToken");
        _appHost = Process.Start(psi)!;
        _appHost.OutputDataReceived += (_, _) => { };
        _appHost.ErrorDataReceived += (_, _) => { };
        _appHost.BeginOutputReadLine();
        _appHost.BeginErrorReadLine();
        _http.BaseAddress = new Uri($"http://127.0.0.1:{_port}");
        await Eventually(async () => (await Resources()).Count == 5 && (await Resources()).All(r => r["health"]!.GetValue<string>() == "Healthy"), 120);
    }

    public async Task DisposeAsync()
    {
        if (!_appHost.HasExited) _appHost.Kill(entireProcessTree: true);
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task<List<JsonObject>> Resources()
    {
        try
        {
            return (await _http.GetFromJsonAsync<JsonArray>("/api/resources"))!.Select(r => (JsonObject)r!).ToList();
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    private JsonObject Resource(List<JsonObject> all, string name) => all.Single(r => r["name"]!.GetValue<string>() == name);

    private static async Task Eventually(Func<Task<bool>> condition, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException();
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task One_command_runs_everything_an_order_becomes_a_delivered_video_a_killed_worker_is_restarted_and_ctrl_c_stops_all()
    {
        var resources = await Resources();
        var emulatorUrl = Resource(resources, "telegram")["endpoints"]![0]!.GetValue<string>();
        using var emulatorHttp = new HttpClient { BaseAddress = new Uri(emulatorUrl), Timeout = TimeSpan.FromSeconds(90) };
        var telegram = new EmulatorClient(emulatorHttp, LocalApp.LocalToken);

        // A seller orders one video through the emulator, rendered by the local (ffmpeg) provider.
        var user = await telegram.UserAsync(TestData.NewUserId(), "Анна", "ru");
        await user.Send("/start");
        await user.PressData(await user.Expect(m => m.Buttons.Any(b => b.CallbackData == "consent"), TimeSpan.FromSeconds(30)), "consent");
        await user.Press(await user.Expect(m => m.HasButton("Создать видео")), "Создать видео");
        await user.SendPhoto(await Media.PhotoAsync());
        await user.Expect("Описание товара");
        await user.Send("Керамическая кружка 350 мл ручной работы, держит тепло.");
        await user.Press(await user.Expect(m => m.HasButton("UGC")), "UGC");
        await user.Press(await user.Expect(m => m.HasButton("Пропустить")), "Пропустить");
        var counts = await user.Expect(m => m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:") == true));
        await user.PressData(counts, counts.Buttons.First(b => b.CallbackData!.EndsWith(":1")).CallbackData!);
        await user.Press(await user.Expect("Проверь заказ"), "Старт");
        var video = await user.Expect(m => m.Video is not null, TimeSpan.FromSeconds(120));
        Assert.Equal(720, video.Video!["width"]!.GetValue<int>());
        Assert.Equal(1280, video.Video["height"]!.GetValue<int>());

        // One trace runs from the button press in the bot through the queue to the worker's delivery.
        await Eventually(async () => (await _http.GetFromJsonAsync<JsonArray>("/api/traces"))!.Any(t =>
            t!["services"]!.AsArray().Select(s => s!.GetValue<string>()).ToHashSet().IsSupersetOf(["bot", "worker"])), 30);
        // The Bot API token travels in every Telegram URL: it must not travel on into the traces.
        var allTraces = (await _http.GetFromJsonAsync<JsonArray>("/api/traces"))!;
        foreach (var id in allTraces.Select(t => t!["traceId"]!.GetValue<string>()))
        {
            var spans = await _http.GetStringAsync("/api/traces/" + id);
            Assert.DoesNotContain("LOCALDEV", spans);
        }
        Assert.Contains(allTraces, t => t!["services"]!.AsArray().Any(s => s!.GetValue<string>() == "bot"));
        var queue = await _http.GetFromJsonAsync<JsonObject>("/api/queue");
        Assert.Equal(1, queue!["byStatus"]!["delivered"]!.GetValue<int>());

        // The dashboard, as a person sees it in a browser.
        if (Chromium.Path is not null)
        {
            var shot = Path.Combine(Chromium.ArtefactDir(), "dashboard.png");
            var dom = await Chromium.DumpDomAsync(_http.BaseAddress!.ToString(), shot);
            Assert.Contains("id=\"resources\"", dom);
            foreach (var name in new[] { "postgres", "blobs", "telegram", "bot", "worker" }) Assert.Contains($"data-name=\"{name}\"", dom);
            Assert.DoesNotContain("class=\"Unhealthy\"", dom);
            Assert.Equal(5, System.Text.RegularExpressions.Regex.Matches(dom, "class=\"Healthy\"").Count);
            Assert.True(File.Exists(shot));
            var traces = await Chromium.DumpDomAsync(_http.BaseAddress + "#traces", Path.Combine(Chromium.ArtefactDir(), "dashboard-traces.png"));
            Assert.Contains("bot, worker", traces);
        }

        // A crashed worker is restarted, and the dashboard shows it.
        var workerPid = Resource(await Resources(), "worker")["pid"]!.GetValue<int>();
        Process.GetProcessById(workerPid).Kill();
        await Eventually(async () =>
        {
            var worker = Resource(await Resources(), "worker");
            return worker["restarts"]!.GetValue<int>() == 1 && worker["health"]!.GetValue<string>() == "Healthy" && worker["pid"]!.GetValue<int>() != workerPid;
        }, 60);

        // Ctrl+C (SIGINT) stops every child and PostgreSQL cleanly.
        var pids = (await Resources()).Select(r => r["pid"]?.GetValue<int?>()).OfType<int>().ToList();
        Assert.Equal(0, Kill(_appHost.Id, 2));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60))) await _appHost.WaitForExitAsync(timeout.Token);
        Assert.All(pids, pid => Assert.False(Alive(pid), $"process {pid} is still running"));
        Assert.False(File.Exists(Path.Combine(_state, "postgres", "postmaster.pid")));
    }

    private static bool Alive(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
