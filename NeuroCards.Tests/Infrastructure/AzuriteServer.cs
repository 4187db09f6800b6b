using System.Diagnostics;
using System.Net.Sockets;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>Azurite (the Azure Storage emulator from npm, installed into .tools/ by scripts/setup.sh), blob service only.</summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";
    // Azurite's well-known development key (public, documented, only valid against the emulator).
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string? _location;
    private Process? _process;

    /// <param name="location">Folder for its data; null keeps everything in memory.</param>
    public AzuriteServer(string? location = null, int port = 0)
    {
        _location = location;
        Port = port == 0 ? PostgresCluster.FreePort() : port;
    }

    public int Port { get; }

    public int? ProcessId => _process?.HasExited == false ? _process.Id : null;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/{AccountName};";

    public static string? FindExecutable(string? repoRoot = null)
    {
        for (var dir = new DirectoryInfo(repoRoot ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".tools", "node_modules", ".bin", "azurite-blob");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var exe = FindExecutable() ?? throw new InvalidOperationException(
            "Azurite is not installed: run 'bash scripts/setup.sh' (it installs the npm package into .tools/).");
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(), "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl" })
        {
            psi.ArgumentList.Add(a);
        }
        if (_location is null)
        {
            psi.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(_location);
            psi.ArgumentList.Add("--location");
            psi.ArgumentList.Add(_location);
        }
        _process = Process.Start(psi) ?? throw new InvalidOperationException("azurite did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"azurite exited with code {_process.ExitCode}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
    }
}
