using System.Diagnostics;
using System.Globalization;
using NeuroCards.Core.Hosting;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>
/// A throwaway Debian 12 VPS: the image <c>scripts/vps-image.sh</c> debootstraps once into a cache outside the repository,
/// copied and booted with <c>systemd-nspawn --boot</c> (systemd as PID 1, sshd, apt) on a network of its own — the VPS at
/// <see cref="Address"/>, this machine at <see cref="HostAddress"/>, the Debian mirror reached through this machine (NAT).
/// Root only; nothing of it outlives the test.
/// </summary>
public sealed class DebianVps : IAsyncDisposable
{
    public const string Address = "10.77.0.2";
    public const string HostAddress = "10.77.0.1";
    private const string Machine = "ncvps";
    private const string Veth = "ve-" + Machine;
    private const string NatTable = "neurocards_vps";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nc-vps-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _nspawn;

    public string Root => Path.Combine(_dir, "root");
    public string KeyFile => Path.Combine(_dir, "id_ed25519");
    public string KnownHosts => Path.Combine(_dir, "known_hosts");
    public string ConsoleLog => Path.Combine(_dir, "console.log");

    /// <summary>ssh's options for this VPS, as an operator would pass them to deploy.sh too.</summary>
    public IReadOnlyList<string> SshOptions => ["-i", KeyFile, "-o", "UserKnownHostsFile=" + KnownHosts, "-o", "StrictHostKeyChecking=accept-new", "-o", "BatchMode=yes"];

    /// <summary>Why a VPS cannot boot here (not root, a tool missing), or null.</summary>
    public static string? Unavailable()
    {
        if (Environment.UserName != "root") return "booting a VPS with systemd-nspawn needs root";
        foreach (var tool in new[] { "/usr/sbin/debootstrap", "/usr/bin/systemd-nspawn", "/usr/sbin/nft", "/usr/bin/ssh" })
        {
            if (!File.Exists(tool)) return $"{tool} is missing (scripts/setup.sh installs it)";
        }
        return null;
    }

    public static async Task<DebianVps> BootAsync(CancellationToken cancellationToken)
    {
        await ClearLeftoversAsync();
        var vps = new DebianVps();
        var image = await RunAsync("bash", [Path.Combine(ServiceProcess.RepoRoot(), "scripts", "vps-image.sh")], TimeSpan.FromMinutes(15), cancellationToken);
        Directory.CreateDirectory(vps._dir);
        await RunAsync("cp", ["-a", image.Trim(), vps.Root], TimeSpan.FromMinutes(2), cancellationToken);
        await RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", vps.KeyFile], TimeSpan.FromSeconds(30), cancellationToken);
        var ssh = Path.Combine(vps.Root, "root", ".ssh");
        await RunAsync("install", ["-d", "-m", "700", ssh], TimeSpan.FromSeconds(10), cancellationToken);
        File.Copy(vps.KeyFile + ".pub", Path.Combine(ssh, "authorized_keys"));
        await File.WriteAllTextAsync(Path.Combine(vps.Root, "etc", "hostname"), "vps\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(vps.Root, "etc", "systemd", "network", "10-host0.network"), $"""
            [Match]
            Name=host0
            [Network]
            Address={Address}/24
            Gateway={HostAddress}
            """, cancellationToken);
        // The mirror through this machine, as a provider's network would carry it.
        await File.WriteAllTextAsync("/proc/sys/net/ipv4/ip_forward", "1", cancellationToken);
        await RunAsync("nft", ["-f", "-"], TimeSpan.FromSeconds(30), cancellationToken, $$"""
            table ip {{NatTable}} {
              chain post { type nat hook postrouting priority 100; ip saddr {{HostAddress}}/24 oifname != "{{Veth}}" masquerade; }
            }
            """);
        await vps.StartAsync(cancellationToken);
        return vps;
    }

    /// <summary>Powers the VPS on: systemd boots, the network comes up, sshd answers.</summary>
    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("systemd-nspawn") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--boot", "--register=no", "--keep-unit", "--console=read-only", "--network-veth", "-M", Machine, "-D", Root }) psi.ArgumentList.Add(arg);
        _nspawn = Process.Start(psi)!;
        var log = new StreamWriter(ConsoleLog, append: true) { AutoFlush = true };
        _nspawn.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _nspawn.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _nspawn.BeginOutputReadLine();
        _nspawn.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!File.Exists($"/sys/class/net/{Veth}/operstate"))
        {
            if (_nspawn.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException("the VPS did not start: " + await File.ReadAllTextAsync(ConsoleLog, cancellationToken));
            await Task.Delay(100, cancellationToken);
        }
        await RunAsync("ip", ["addr", "replace", HostAddress + "/24", "dev", Veth], TimeSpan.FromSeconds(10), cancellationToken);
        await RunAsync("ip", ["link", "set", Veth, "up"], TimeSpan.FromSeconds(10), cancellationToken);
        while (true)
        {
            var probe = await ToolRunner.RunAsync("ssh", [.. SshOptions, "-o", "ConnectTimeout=3", "root@" + Address, "systemctl is-system-running --wait"],
                TimeSpan.FromSeconds(60), cancellationToken);
            if (probe.ExitCode == 0 || probe.Output.Contains("degraded", StringComparison.Ordinal)) return;
            if (_nspawn.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"the VPS's sshd does not answer: {probe.Error}\n{string.Join('\n', File.ReadLines(ConsoleLog).TakeLast(30))}");
            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>A command on the VPS as root, over ssh.</summary>
    public Task<ToolResult> SshAsync(string command, CancellationToken cancellationToken, TimeSpan? limit = null) =>
        ToolRunner.RunAsync("ssh", [.. SshOptions, "root@" + Address, command], limit ?? TimeSpan.FromMinutes(5), cancellationToken);

    /// <summary>A file onto the VPS, with scp.</summary>
    public async Task CopyToAsync(string localPath, string remotePath, CancellationToken cancellationToken) =>
        await RunAsync("scp", [.. SshOptions, localPath, $"root@{Address}:{remotePath}"], TimeSpan.FromMinutes(2), cancellationToken);

    /// <summary>`systemctl reboot` inside: systemd stops everything and the machine powers on again (as a provider's would).</summary>
    public async Task RebootAsync(CancellationToken cancellationToken)
    {
        await SshAsync("systemctl reboot", cancellationToken);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(90));
            await _nspawn!.WaitForExitAsync(timeout.Token);
        }
        await StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_nspawn is not null)
        {
            await PowerOffAsync(_nspawn.Id);
            _nspawn.Dispose();
        }
        await ToolRunner.RunAsync("nft", ["delete", "table", "ip", NatTable], TimeSpan.FromSeconds(10), CancellationToken.None);
        if (Directory.Exists(_dir)) await ToolRunner.RunAsync("rm", ["-rf", _dir], TimeSpan.FromMinutes(2), CancellationToken.None);
    }

    /// <summary>SIGTERM to systemd-nspawn is a clean shutdown of the machine (systemd stops its services); SIGKILL after 30 s.</summary>
    private static async Task PowerOffAsync(int pid)
    {
        await ToolRunner.RunAsync("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10), CancellationToken.None);
        for (var i = 0; i < 300 && Directory.Exists($"/proc/{pid}"); i++) await Task.Delay(100);
        if (Directory.Exists($"/proc/{pid}")) await ToolRunner.RunAsync("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10), CancellationToken.None);
    }

    /// <summary>What a test run that died left behind (a machine still running, its network): gone before this one boots.</summary>
    private static async Task ClearLeftoversAsync()
    {
        var stale = await ToolRunner.RunAsync("pgrep", ["-f", $"systemd-nspawn .*-M {Machine} "], TimeSpan.FromSeconds(10), CancellationToken.None);
        foreach (var pid in stale.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)) await PowerOffAsync(int.Parse(pid, CultureInfo.InvariantCulture));
        if (File.Exists($"/sys/class/net/{Veth}/operstate")) await ToolRunner.RunAsync("ip", ["link", "delete", Veth], TimeSpan.FromSeconds(10), CancellationToken.None);
        await ToolRunner.RunAsync("nft", ["delete", "table", "ip", NatTable], TimeSpan.FromSeconds(10), CancellationToken.None);
    }

    private static async Task<string> RunAsync(string tool, IEnumerable<string> args, TimeSpan limit, CancellationToken cancellationToken, string? input = null)
    {
        using var stdin = input is null ? null : new MemoryStream(System.Text.Encoding.UTF8.GetBytes(input));
        var result = await ToolRunner.RunAsync(tool, args, limit, cancellationToken, input: stdin);
        return result.ExitCode == 0 ? result.Output : throw new InvalidOperationException($"{tool} {string.Join(' ', args)}: {result.Error}{result.Output}");
    }
}
