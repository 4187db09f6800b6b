using System.Diagnostics;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.AppHost;

/// <summary>
/// The real AppHost, started by Aspire.Hosting.Testing with DCP and the Aspire dashboard (no container engine):
/// every resource healthy, an order placed through the emulator becomes a delivered video, one trace runs from
/// the bot through the queue to the worker's delivery in the dashboard, and a killed worker replica comes back.
/// </summary>
[Collection("AppHost")]
public sealed class AppHostTests : IAsyncLifetime
{
    private static readonly string[] Resources = ["postgres", "neurocards", "blobs", "telegram", "bot", "worker"];
    private const string LocalToken = "123456:LOCALDEV";
    private readonly string _state = Path.Combine(Path.GetTempPath(), "nc-apphost-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly HttpClient _dashboard = new() { Timeout = TimeSpan.FromSeconds(30) };
    private DistributedApplication _app = null!;

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var storage = AzuriteServer.FindExecutable() is null ? "local" : "azurite";
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NeuroCards_AppHost>(
            ["--state-dir", _state, "--storage", storage, "--workers", "2",
             // The dashboard open without a login token, like the README's run command (tests give it free ports).
             "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true", "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true"],
            (options, _) =>
            {
                options.DisableDashboard = false;
                options.AllowUnsecuredTransport = true;
            },
            timeout.Token);
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        // A resource that fails stops the wait at once, with its state, instead of running into the timeout.
        foreach (var resource in Resources)
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.StopOnResourceUnavailable, timeout.Token);
        _dashboard.BaseAddress = _app.GetEndpoint("aspire-dashboard", "http");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task An_order_in_the_emulator_becomes_a_delivered_video_traced_from_bot_to_worker_in_the_dashboard_and_a_killed_worker_comes_back()
    {
        // A local run is Development: health names its checks (outside Development it says only the status word).
        using (var bot = new HttpClient { BaseAddress = _app.GetEndpoint("bot", "http") })
        {
            var health = await bot.GetStringAsync("/health");
            Assert.Contains("\"PostgreSql\"", health);
            Assert.Contains("\"Healthy\"", health);
        }

        // A seller orders one video through the emulator; the local (ffmpeg) provider renders it.
        using var emulatorHttp = new HttpClient { BaseAddress = _app.GetEndpoint("telegram", "http"), Timeout = TimeSpan.FromSeconds(90) };
        var user = await new EmulatorClient(emulatorHttp, LocalToken).UserAsync(TestData.NewUserId(), "Анна", "ru");
        await user.OrderOneVideoAsync();
        var video = await user.Expect(m => m.Video is not null, TimeSpan.FromSeconds(120));
        Assert.Equal(720, video.Video!["width"]!.GetValue<int>());
        Assert.Equal(1280, video.Video["height"]!.GetValue<int>());

        // The Aspire dashboard's telemetry API: one trace holds spans of the bot and of the worker, down to the delivery.
        JsonObject? spans = null;
        await Eventually.HoldsAsync(async () =>
        {
            spans = await SpansAsync();
            return TracesByService(spans).Values.Any(services => services.IsSupersetOf(["bot", "worker"]))
                   && SpanNames(spans).Contains("deliver video");
        }, 60, pollMilliseconds: 1000); // each read serialises up to 5 000 spans: polled gently, not to load the dashboard itself
        var order = TracesByService(spans!).First(t => t.Value.IsSupersetOf(["bot", "worker"])).Key;
        Assert.Contains("deliver video", SpanNames(spans!, order));
        // The Bot API token is in every Telegram URL: it must not travel on into the telemetry.
        Assert.DoesNotContain("LOCALDEV", spans!.ToJsonString());

        await ScreenshotAsync(order);

        // kill -9 of one worker replica: the AppHost starts it again, and it becomes healthy.
        var (instance, pid) = await WorkerProcessAsync();
        Process.GetProcessById(pid).Kill();
        await Eventually.HoldsAsync(async () => (await WorkerProcessAsync(instance)).Pid is var now && now != 0 && now != pid, 90);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("worker").WaitAsync(TimeSpan.FromSeconds(60));
    }

    private async Task<JsonObject> SpansAsync() =>
        JsonNode.Parse(await _dashboard.GetStringAsync("/api/telemetry/spans?limit=5000"))!.AsObject();

    /// <summary>OTLP JSON from the dashboard: trace id → the services (service.name) that have spans in it.</summary>
    private static Dictionary<string, HashSet<string>> TracesByService(JsonObject spans)
    {
        var traces = new Dictionary<string, HashSet<string>>();
        foreach (var resource in spans["data"]!["resourceSpans"]!.AsArray())
        {
            var service = resource!["resource"]!["attributes"]!.AsArray()
                .First(a => a!["key"]!.GetValue<string>() == "service.name")!["value"]!["stringValue"]!.GetValue<string>();
            foreach (var span in resource["scopeSpans"]!.AsArray().SelectMany(s => s!["spans"]!.AsArray()))
            {
                var traceId = span!["traceId"]!.GetValue<string>();
                if (!traces.TryGetValue(traceId, out var services)) traces[traceId] = services = [];
                services.Add(service);
            }
        }
        return traces;
    }

    private static HashSet<string> SpanNames(JsonObject spans, string? traceId = null) =>
        spans["data"]!["resourceSpans"]!.AsArray()
            .SelectMany(r => r!["scopeSpans"]!.AsArray()).SelectMany(s => s!["spans"]!.AsArray())
            .Where(s => traceId is null || s!["traceId"]!.GetValue<string>() == traceId)
            .Select(s => s!["name"]!.GetValue<string>()).ToHashSet();

    /// <summary>The Blazor dashboard as a person sees it: the resources page and the order's trace, kept as artefacts.</summary>
    private async Task ScreenshotAsync(string traceId)
    {
        Assert.SkipWhen(Chromium.Path is null, "Chromium is not installed (scripts/setup.sh installs Debian's chromium)");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 900 } });
        // The first page of a fresh dashboard process is a Blazor circuit started from cold; in CI it shares two cores
        // with the booted Debian of the deploy test, and has taken longer than 30 s there.
        var wait = new LocatorAssertionsToBeVisibleOptions { Timeout = 120_000 };
        try
        {
            await page.GotoAsync(_dashboard.BaseAddress!.ToString());
            foreach (var resource in new[] { "postgres", "neurocards", "blobs", "telegram", "bot" })
                await Assertions.Expect(page.GetByText(resource, new() { Exact = true }).First).ToBeVisibleAsync(wait);
            await Assertions.Expect(page.GetByText(new System.Text.RegularExpressions.Regex("^worker-"))) // two replicas
                .ToHaveCountAsync(2, new() { Timeout = wait.Timeout });
            await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ArtefactDir(), "aspire-dashboard.png") });
            Assert.Equal(0, await page.GetByText("Unhealthy").CountAsync());

            await page.GotoAsync($"{_dashboard.BaseAddress}traces/detail/{traceId}");
            await Assertions.Expect(page.GetByText("deliver video").First).ToBeVisibleAsync(wait);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ArtefactDir(), "aspire-trace.png"), FullPage = true });
        }
        catch (PlaywrightException)
        {
            // What the page showed instead is what the next person needs to see.
            await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ArtefactDir(), "aspire-dashboard-failed.png"), FullPage = true });
            throw new Xunit.Sdk.XunitException($"The dashboard at {page.Url} did not show it; the page said: {await page.InnerTextAsync("body")}");
        }
    }

    /// <summary>A worker replica's instance id and the pid of its own process (not the `dotnet run` that launched it).</summary>
    private async Task<(string Instance, int Pid)> WorkerProcessAsync(string? instance = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var latest = new Dictionary<string, CustomResourceSnapshot>();
        try
        {
            await foreach (var update in _app.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (update.Resource.Name != "worker") continue;
                latest[update.ResourceId] = update.Snapshot;
                if (latest.Count == 2 && (instance is null || latest.ContainsKey(instance))) break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        var (id, snapshot) = latest.First(l => instance is null ? l.Value.State?.Text == "Running" : l.Key == instance);
        if (snapshot.State?.Text != "Running") return (id, 0);
        var launcher = snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
        var launcherPid = Convert.ToInt32(launcher);
        // `dotnet run` starts the worker as its child.
        var child = Directory.GetDirectories("/proc").Select(d => Path.GetFileName(d)).Where(n => n.All(char.IsDigit)).Select(int.Parse)
            .FirstOrDefault(p => ParentOf(p) == launcherPid);
        return (id, child == 0 ? launcherPid : child);
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
    }
}
