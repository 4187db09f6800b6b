using System.Net.Http;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.AppHost.Dashboard;
using NeuroCards.AppHost.Resources;
using NeuroCards.Core.Data;

namespace NeuroCards.AppHost.Hosting;

/// <summary>
/// Our small orchestrator with the Aspire contract: resources start in dependency order with
/// health waits; a project gets the environment of what it references; crashed services restart
/// with backoff; Ctrl+C stops everything, PostgreSQL last.
/// </summary>
public sealed class LocalApp(AppHostOptions options, string repoRoot)
{
    private readonly List<ServiceResource> _services = [];
    private readonly List<Func<Task>> _cleanup = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(3) };

    public List<ResourceState> Resources { get; } = [];
    public string? DatabaseConnectionString { get; private set; }
    public TelemetryStore Telemetry { get; } = new();
    public string DashboardUrl => $"http://127.0.0.1:{options.DashboardPort}";

    private ResourceState Add(string name, string kind)
    {
        var state = new ResourceState(name, kind);
        Resources.Add(state);
        return state;
    }

    public async Task<Reference> AddPostgresAsync(string name, string database)
    {
        var state = Add(name, "postgres");
        var cluster = new PostgresCluster(Path.Combine(options.StateDir, "postgres"));
        await cluster.StartAsync();
        _cleanup.Add(() => cluster.DisposeAsync().AsTask());
        await cluster.CreateDatabaseAsync(database);
        DatabaseConnectionString = cluster.ConnectionString(database);
        await DatabaseMigrator.MigrateAsync(DatabaseConnectionString, NullLogger.Instance);
        state.Pid = cluster.ProcessId;
        state.State = "Running";
        state.Health = "Healthy";
        state.Endpoints.Add($"tcp://127.0.0.1:{cluster.Port}");
        return new Reference(new() { ["ConnectionStrings__neurocards"] = DatabaseConnectionString });
    }

    public async Task<Reference> AddStorageAsync(string name, Func<string> botUrl)
    {
        var state = Add(name, options.Storage == "azurite" ? "azurite" : "folder");
        if (options.Storage == "azurite")
        {
            var azurite = new AzuriteResource(Path.Combine(options.StateDir, "azurite"));
            await azurite.StartAsync();
            _cleanup.Add(() => azurite.DisposeAsync().AsTask());
            state.Pid = azurite.ProcessId;
            state.State = "Running";
            state.Health = "Healthy";
            state.Endpoints.Add($"http://127.0.0.1:{azurite.Port}");
            return new Reference(new() { ["ConnectionStrings__blobs"] = azurite.ConnectionString, ["Storage__Provider"] = "AzureBlob" });
        }
        var folder = Path.Combine(options.StateDir, "media");
        Directory.CreateDirectory(folder);
        state.State = "Running";
        state.Health = "Healthy";
        state.Endpoints.Add(folder);
        return new Reference(new()
        {
            ["Storage__Provider"] = "Local", ["Storage__LocalPath"] = folder, ["Storage__SigningKey"] = SigningKey(),
        }, () => new() { ["Storage__PublicBaseUrl"] = botUrl() });
    }

    /// <summary>The Telegram Bot API emulator, unless a real bot token is configured.</summary>
    public async Task<Reference> AddTelegramAsync(string name)
    {
        if (!string.IsNullOrEmpty(options.BotToken))
        {
            Add(name, "api.telegram.org").State = "External";
            return new Reference(new() { ["Telegram__BotToken"] = options.BotToken });
        }
        var port = PostgresCluster.FreePort();
        var url = $"http://127.0.0.1:{port}";
        await StartServiceAsync(name, "NeuroCards.TelegramEmulator", new() { ["ASPNETCORE_URLS"] = url }, url);
        Resources.Single(r => r.Name == name).Endpoints.Add($"{url}/?token={LocalToken} (web chat)");
        return new Reference(new() { ["Telegram__BotToken"] = LocalToken, ["Telegram__ApiBaseUrl"] = url });
    }

    public const string LocalToken = "123456:LOCALDEV";

    public async Task<string> AddProjectAsync(string name, string project, IEnumerable<Reference> references, int replicas = 1,
        Dictionary<string, string?>? extra = null, int? port = null)
    {
        string url = "";
        references = references.ToList();
        for (var i = 0; i < replicas; i++)
        {
            var chosen = i == 0 && port is not null ? port.Value : PostgresCluster.FreePort();
            url = $"http://127.0.0.1:{chosen}";
            var env = new Dictionary<string, string?>
            {
                ["ASPNETCORE_URLS"] = url,
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = DashboardUrl,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_SERVICE_NAME"] = name,
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
            };
            foreach (var reference in references)
            foreach (var (k, v) in reference.Environment()) env[k] = v;
            foreach (var (k, v) in extra ?? []) env[k] = v;
            await StartServiceAsync(replicas == 1 ? name : $"{name}-{i + 1}", project, env, url);
        }
        return url;
    }

    private async Task StartServiceAsync(string name, string project, Dictionary<string, string?> env, string url)
    {
        var state = Add(name, "project");
        state.Endpoints.Add(url);
        var service = new ServiceResource(state, ProjectDll(project), env, url + "/health");
        _services.Add(service);
        service.Start();
        await WaitHealthyAsync(service, TimeSpan.FromSeconds(90));
    }

    private async Task WaitHealthyAsync(ServiceResource service, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await ProbeAsync(service)) return;
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"{service.State.Name} did not become healthy; its log:\n{string.Join("\n", service.State.Logs().TakeLast(20))}");
    }

    private async Task<bool> ProbeAsync(ServiceResource service)
    {
        try
        {
            using var response = await _http.GetAsync(service.HealthUrl);
            service.State.Health = response.IsSuccessStatusCode ? "Healthy" : "Unhealthy";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            service.State.Health = "Unhealthy";
        }
        return service.State.Health == "Healthy";
    }

    /// <summary>Keeps health fresh for the dashboard until stopped.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var service in _services.Where(s => s.State.State == "Running")) await ProbeAsync(service);
            try { await Task.Delay(2000, cancellationToken); } catch (OperationCanceledException) { return; }
        }
    }

    public async Task StopAsync()
    {
        foreach (var service in Enumerable.Reverse(_services)) await service.StopAsync(TimeSpan.FromSeconds(35));
        foreach (var cleanup in Enumerable.Reverse(_cleanup)) await cleanup();
    }

    private string ProjectDll(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(repoRoot, project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{project} is not built: run 'dotnet build NeuroCards.sln -c {configuration}'", dll);
    }

    private string SigningKey()
    {
        var path = Path.Combine(options.StateDir, "signing.key");
        if (!File.Exists(path)) File.WriteAllText(path, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        return File.ReadAllText(path).Trim();
    }
}
