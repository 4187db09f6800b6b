using System.Diagnostics;
using NeuroCards.Core.Hosting;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>
/// Let's Encrypt's test ACME server (Debian's pebble) with its mock DNS (pebble-challtestsrv) answering every name with
/// the VPS's address, so certbot on the VPS gets a real certificate through an http-01 challenge nginx serves. Its own
/// HTTPS is signed by a CA made here (<see cref="CaFile"/>), which the VPS trusts as a server trusts Let's Encrypt's.
/// </summary>
public sealed class Pebble : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly string _dir;

    private Pebble(string dir, string address)
    {
        _dir = dir;
        DirectoryUrl = $"https://{address}:14000/dir";
    }

    public string DirectoryUrl { get; }
    public string CaFile => Path.Combine(_dir, "ca.pem");

    public static async Task<Pebble> StartAsync(string address, string answer, CancellationToken cancellationToken)
    {
        var pebble = new Pebble(Path.Combine(Path.GetTempPath(), "nc-pebble-" + Guid.NewGuid().ToString("N")[..8]), address);
        Directory.CreateDirectory(pebble._dir);
        string In(string name) => Path.Combine(pebble._dir, name);
        await File.WriteAllTextAsync(In("san.ext"), $"subjectAltName=IP:{address}\n", cancellationToken);
        foreach (var args in new[]
                 {
                     $"req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=acme-test-ca -keyout {In("ca.key")} -out {In("ca.pem")}",
                     $"req -newkey rsa:2048 -nodes -subj /CN={address} -keyout {In("key.pem")} -out {In("server.csr")}",
                     $"x509 -req -in {In("server.csr")} -CA {In("ca.pem")} -CAkey {In("ca.key")} -CAcreateserial -days 2 -extfile {In("san.ext")} -out {In("cert.pem")}",
                 })
        {
            var made = await ToolRunner.RunAsync("openssl", args.Split(' '), TimeSpan.FromSeconds(30), cancellationToken);
            if (made.ExitCode != 0) throw new InvalidOperationException("openssl " + args + ": " + made.Error);
        }
        await File.WriteAllTextAsync(In("pebble.json"), $$"""
            {"pebble": {"listenAddress": "{{address}}:14000", "managementListenAddress": "{{address}}:15000",
              "certificate": "{{In("cert.pem")}}", "privateKey": "{{In("key.pem")}}", "httpPort": 80, "tlsPort": 443,
              "ocspResponderURL": "", "externalAccountBindingRequired": false } }
            """, cancellationToken);
        pebble.Start("pebble-challtestsrv", ["-defaultIPv4", answer, "-defaultIPv6", "", "-dns01", address + ":8053", "-http01", "", "-https01", "",
            "-tlsalpn01", "", "-management", address + ":8055"], []);
        // No sleeps before validating, and no nonces refused at random: a test is no place for pebble's chaos.
        pebble.Start("pebble", ["-config", In("pebble.json"), "-dnsserver", address + ":8053"],
            new() { ["PEBBLE_VA_NOSLEEP"] = "1", ["PEBBLE_WFE_NONCEREJECT"] = "0", ["PEBBLE_AUTHZREUSE"] = "0" });
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        for (var i = 0; ; i++)
        {
            try
            {
                (await http.GetAsync(pebble.DirectoryUrl, cancellationToken)).EnsureSuccessStatusCode();
                return pebble;
            }
            catch (HttpRequestException) when (i < 100)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private void Start(string tool, string[] args, Dictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }
}
