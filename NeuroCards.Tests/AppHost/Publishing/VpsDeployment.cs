using System.Diagnostics;
using NeuroCards.Core.Hosting;
using NeuroCards.Tests.Fakes;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.AppHost.Publishing;

/// <summary>
/// The README's VPS section, run: a bare Debian 12 booted with systemd, the artefacts published, <c>deploy.sh root@…</c>
/// (which writes the settings and stops), the settings filled in, <c>deploy.sh</c> again. Telegram (the emulator), KIE
/// and OpenAI are fakes on this machine, reached from the VPS as the real ones would be from a server.
/// </summary>
public sealed class VpsDeployment : IAsyncLifetime
{
    public string? Unavailable { get; } = DebianVps.Unavailable();
    public DebianVps Vps { get; private set; } = null!;
    public EmulatorHost Telegram { get; private set; } = null!;
    public EmulatorClient Bot { get; private set; } = null!;
    public KieFake Kie { get; private set; } = null!;
    public OpenAiFake OpenAi { get; private set; } = null!;
    public string Output { get; } = Path.Combine(Path.GetTempPath(), "nc-deploy-" + Guid.NewGuid().ToString("N")[..8], "vps");

    /// <summary>What the first deploy.sh printed and what the second took, from a bare VPS to the bot running.</summary>
    public string FirstRun { get; private set; } = "";
    public TimeSpan DeployTime { get; private set; }

    /// <summary>From powering on the bare VPS to deploy.sh's end (the bot and workers healthy).</summary>
    public TimeSpan BootToLive { get; private set; }
    public Stopwatch SinceBoot { get; } = new();

    public string EnvFile => Path.Combine(Output, "neurocards.env");

    public async ValueTask InitializeAsync()
    {
        if (Unavailable is not null) return;
        var cancellationToken = TestContext.Current.CancellationToken;
        SinceBoot.Start();
        Vps = await DebianVps.BootAsync(cancellationToken);
        Telegram = await EmulatorHost.StartAsync(address: DebianVps.HostAddress);
        Bot = Telegram.Client(EmulatorHost.NewToken());
        Kie = await KieFake.StartAsync(await TestMedia.ResultVideoAsync(), DebianVps.HostAddress);
        Kie.Default = new KieScript { FetchImage = true }; // KIE fetches the seller's photo from the VPS's media URL
        OpenAi = await OpenAiFake.StartAsync(DebianVps.HostAddress);

        var publish = await ToolRunner.RunAsync("dotnet", [ServiceProcess.Dll("NeuroCards.AppHost"), "--operation", "publish", "--step", "systemd", "--output-path", Output],
            TimeSpan.FromMinutes(3), cancellationToken);
        if (publish.ExitCode != 0) throw new InvalidOperationException(publish.Output + publish.Error);

        var first = await DeployAsync(cancellationToken);
        if (first.ExitCode != 2) throw new InvalidOperationException("the first deploy.sh should stop after writing the settings: " + first.Output + first.Error);
        FirstRun = first.Output;
        await SetAsync(new Dictionary<string, string>
        {
            ["Telegram__BotToken"] = Bot.Token,
            ["Telegram__ApiBaseUrl"] = Telegram.BaseUrl,
            ["Bot__TermsUrl"] = "https://neurocards.test/terms",
            ["Bot__PrivacyUrl"] = "https://neurocards.test/privacy",
            ["Bot__SupportUrl"] = "https://t.me/neurocards_support",
            ["Kie__BaseUrl"] = Kie.Url,
            ["Kie__ApiKeys"] = "key-a",
            ["OpenAI__BaseUrl"] = OpenAi.BaseUrl,
            ["OpenAI__ApiKey"] = "sk-test",
        });

        var clock = Stopwatch.StartNew();
        var second = await DeployAsync(cancellationToken);
        DeployTime = clock.Elapsed;
        BootToLive = SinceBoot.Elapsed;
        if (second.ExitCode != 0) throw new InvalidOperationException($"deploy.sh failed ({second.ExitCode}): {second.Output}{second.Error}");
    }

    /// <summary><c>PUBLIC_IP=… bash deploy.sh --identity KEY -o … --workers 2 root@VPS</c> from the repository, as the README says.</summary>
    public Task<ToolResult> DeployAsync(CancellationToken cancellationToken, params string[] options) =>
        DeployAsync(new Dictionary<string, string?> { ["PUBLIC_IP"] = DebianVps.Address }, cancellationToken, options);

    public Task<ToolResult> DeployAsync(IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken, params string[] options) =>
        ToolRunner.RunAsync("bash", [Path.Combine(Output, "deploy.sh"), "--identity", Vps.KeyFile, "-o", "UserKnownHostsFile=" + Vps.KnownHosts, "--workers", "2", .. options, "root@" + DebianVps.Address],
            TimeSpan.FromMinutes(12), cancellationToken, environment: environment, workingDirectory: ServiceProcess.RepoRoot());

    private string? _release;

    /// <summary>The live release, copied off the VPS once (updates in the tests ship it, changed or not, without a rebuild).</summary>
    public async Task<string> LiveReleaseAsync()
    {
        if (_release is not null) return _release;
        var live = Path.Combine(Path.GetDirectoryName(Output)!, "live-release");
        Directory.CreateDirectory(live);
        var copy = await ToolRunner.RunAsync("bash", ["-c", $"ssh {string.Join(' ', Vps.SshOptions)} root@{DebianVps.Address} tar -C /opt/neurocards/current/ -cf - . | tar -xf - -C {live}"],
            TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);
        Assert.True(copy.ExitCode == 0, copy.Error);
        return _release = live;
    }

    /// <summary>Sets lines of the operator's settings file, as an operator's editor would.</summary>
    public async Task SetAsync(IReadOnlyDictionary<string, string> values)
    {
        var lines = (await File.ReadAllLinesAsync(EnvFile)).ToList();
        foreach (var (key, value) in values)
        {
            var at = lines.FindIndex(l => l.StartsWith(key + "=", StringComparison.Ordinal));
            if (at >= 0) lines[at] = $"{key}={value}";
            else lines.Add($"{key}={value}");
        }
        await File.WriteAllLinesAsync(EnvFile, lines);
    }

    public async Task<string> SshAsync(string command, TimeSpan? limit = null)
    {
        var result = await Vps.SshAsync(command, TestContext.Current.CancellationToken, limit);
        Assert.True(result.ExitCode == 0, $"{command}: {result.Output}{result.Error}");
        return result.Output.Trim();
    }

    /// <summary>A psql query on the VPS's database, as its superuser.</summary>
    public Task<string> SqlAsync(string query) => SshAsync($"cd / && runuser -u postgres -- psql -X -tA -d neurocards -c \"{query}\"");

    public async ValueTask DisposeAsync()
    {
        if (Unavailable is not null) return;
        if (Vps is not null) await Vps.DisposeAsync();
        if (Kie is not null) await Kie.DisposeAsync();
        if (OpenAi is not null) await OpenAi.DisposeAsync();
        if (Telegram is not null) await Telegram.DisposeAsync();
        var root = Path.GetDirectoryName(Output)!;
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }
}
