using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NeuroCards.Core.Hosting;
using Npgsql;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster run from the machine's own binaries (initdb/postgres), for the test
/// fixture and the benchmarks (the AppHost runs its own as an Aspire resource).
/// PostgreSQL refuses to run as root, so as root the server runs as the 'postgres' user.
/// </summary>
public sealed partial class PostgresCluster : IAsyncDisposable
{
    private readonly string _dataDir;
    private readonly string _socketDir;
    private readonly bool _fast;
    private Process? _process;

    public PostgresCluster(string dataDir, int port = 0, bool fastUnsafe = false)
    {
        _dataDir = Path.GetFullPath(dataDir);
        _socketDir = Path.Combine(Path.GetTempPath(), "nc-pg-sock-" + Guid.NewGuid().ToString("N")[..8]);
        Port = port == 0 ? FreePort() : port;
        _fast = fastUnsafe;
    }

    public int Port { get; }

    public int? ProcessId => _process?.HasExited == false ? _process.Id : null;

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Include Error Detail=true";

    public static string? FindBinary(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            foreach (var version in Directory.GetDirectories("/usr/lib/postgresql").OrderDescending())
            {
                var candidate = Path.Combine(version, "bin", name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var initdb = FindBinary("initdb") ?? throw new InvalidOperationException(
            "PostgreSQL is not installed: 'initdb' was not found. Run 'bash scripts/setup.sh' (installs the postgresql package).");
        var postgres = FindBinary("postgres") ?? throw new InvalidOperationException(
            "PostgreSQL is not installed: 'postgres' was not found. Run 'bash scripts/setup.sh'.");

        Directory.CreateDirectory(_dataDir);
        Directory.CreateDirectory(_socketDir);
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _dataDir, _socketDir], cancellationToken);
        }

        if (!File.Exists(Path.Combine(_dataDir, "PG_VERSION")))
        {
            await RunAsync(initdb, ["-D", _dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
                cancellationToken, asPostgres: true);
        }

        // A stale pid file from a killed run would stop the server from starting.
        var pidFile = Path.Combine(_dataDir, "postmaster.pid");
        if (File.Exists(pidFile) && !IsPidAlive(pidFile)) File.Delete(pidFile);

        List<string> args = ["-D", _dataDir, "-p", Port.ToString(), "-k", _socketDir,
            // Test classes run in parallel, each with its pools, bots and workers: room for all of them at once.
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=1000", "-c", "shared_buffers=128MB"];
        if (_fast)
        {
            args.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        _process = Process.Start(StartInfo(postgres, args, asPostgres: true))
                   ?? throw new InvalidOperationException("postgres did not start");
        _ = DrainAsync(_process.StandardOutput);
        _ = DrainAsync(_process.StandardError);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"postgres exited with code {_process.ExitCode} while starting (data: {_dataDir}).");
            }
            try
            {
                await using var conn = new NpgsqlConnection(ConnectionString() + ";Timeout=2;Pooling=false");
                await conn.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public async Task CreateDatabaseAsync(string name, string? template = null, CancellationToken cancellationToken = default)
    {
        await using var conn = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await conn.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @n", conn);
        exists.Parameters.AddWithValue("n", name);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null) return;
        var sql = template is null ? $"create database \"{name}\"" : $"create database \"{name}\" template \"{template}\"";
        await using var create = new NpgsqlCommand(sql, conn);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Fast shutdown (SIGINT): active transactions are rolled back, the cluster stays consistent.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process is null || _process.HasExited) return;
        // postgres takes SIGINT as "fast shutdown"; .NET sends only SIGKILL, so kill(1) sends it.
        await ToolRunner.RunAsync("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10), CancellationToken.None);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// Stops the server when <paramref name="ownerPid"/> exits for any reason (a test host that
    /// crashed or was killed cannot leave a server running behind it).
    /// </summary>
    public void StopWhenProcessExits(int ownerPid)
    {
        if (_process is null) return;
        var watcher = new ProcessStartInfo("sh") { UseShellExecute = false };
        watcher.ArgumentList.Add("-c");
        watcher.ArgumentList.Add($"while kill -0 {ownerPid} 2>/dev/null; do sleep 1; done; kill -INT {_process.Id} 2>/dev/null");
        Process.Start(watcher)?.Dispose();
    }

    /// <summary>Simulates a crash of the database server (tests of health and recovery).</summary>
    public void KillHard()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        try { Directory.Delete(_socketDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    internal static bool IsRoot => Environment.IsPrivilegedProcess;

    internal static ProcessStartInfo StartInfo(string file, IEnumerable<string> args, bool asPostgres)
    {
        ProcessStartInfo psi;
        if (asPostgres && IsRoot)
        {
            // setpriv execs in place, so the pid we hold is the server's own and signals reach it.
            psi = new ProcessStartInfo("setpriv");
            foreach (var a in new[] { "--reuid=postgres", "--regid=postgres", "--init-groups", file }) psi.ArgumentList.Add(a);
        }
        else
        {
            psi = new ProcessStartInfo(file);
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        psi.WorkingDirectory = Path.GetTempPath();
        psi.Environment["LC_ALL"] = "C.UTF-8";
        return psi;
    }

    private static async Task RunAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken, bool asPostgres = false)
    {
        var start = StartInfo(file, args, asPostgres);
        var result = await ToolRunner.RunAsync(start.FileName, start.ArgumentList, TimeSpan.FromMinutes(2), cancellationToken,
            environment: new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8" }, workingDirectory: start.WorkingDirectory);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({result.ExitCode}): {result.Error}{result.Output}");
        }
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync() is not null) { }
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    private static bool IsPidAlive(string pidFile)
    {
        var first = File.ReadLines(pidFile).FirstOrDefault();
        return int.TryParse(first, out var pid) && Directory.Exists($"/proc/{pid}");
    }

    private static int _nextPort = Random.Shared.Next(20_000, 31_000);

    /// <summary>
    /// A loopback port nobody listens on now. Taken below Linux's ephemeral range (32768+), where an outgoing connection
    /// could grab it before the server binds it, and never handed out twice in one run, so two servers started close
    /// together cannot be told the same port.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = 20_000 + (Interlocked.Increment(ref _nextPort) - 20_000) % 12_000;
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: the next one.
            }
        }
        throw new InvalidOperationException("No free loopback port between 20000 and 32000.");
    }

}
