using NeuroCards.AppHost.Dashboard;
using NeuroCards.AppHost.Hosting;
using NeuroCards.AppHost.Publishing;

// dotnet run --project NeuroCards.AppHost [-- --storage local|azurite --workers N --state-dir DIR --dashboard-port P]
// dotnet run --project NeuroCards.AppHost -- publish --target compose|manifest|systemd --output DIR
if (args is ["publish", ..]) return await PublishCommand.RunAsync(args);

var repoRoot = Repo.Root();
var options = AppHostOptions.Parse(args, repoRoot);
Repo.RequireTools("ffmpeg", "ffprobe");
var app = new LocalApp(options, repoRoot);
await using var dashboard = await DashboardServer.StartAsync(app, options.DashboardPort);

// Resources, then each project with what it references — the architecture at a glance.
var postgres = await app.AddPostgresAsync("postgres", database: "neurocards");
var botPort = NeuroCards.AppHost.Resources.PostgresCluster.FreePort();
var blobs = await app.AddStorageAsync("blobs", botUrl: () => $"http://127.0.0.1:{botPort}");
var telegram = await app.AddTelegramAsync("telegram");
var bot = await app.AddProjectAsync("bot", "NeuroCards.Bot", [postgres, blobs, telegram], port: botPort);
await app.AddProjectAsync("worker", "NeuroCards.Worker", [postgres, blobs, telegram], replicas: options.Workers,
    extra: new() { ["Kie__CallbackBaseUrl"] = bot });

Console.WriteLine();
Console.WriteLine($"{"resource",-12} {"state",-9} {"health",-10} endpoints");
foreach (var r in app.Resources) Console.WriteLine($"{r.Name,-12} {r.State,-9} {r.Health,-10} {string.Join("  ", r.Endpoints)}");
Console.WriteLine($"\nDashboard: {app.DashboardUrl}   (Ctrl+C stops everything)");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
await app.WatchAsync(stop.Token);
Console.WriteLine("Stopping…");
await app.StopAsync();
return 0;
