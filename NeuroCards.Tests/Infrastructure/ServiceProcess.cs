using System.Collections.Concurrent;
using System.Diagnostics;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>A real service process (the built bot or worker DLL) with its configuration in environment variables.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    public ConcurrentQueue<string> Output { get; } = new();

    private ServiceProcess(Process process) => _process = process;

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NeuroCards.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("repository root not found");
    }

    /// <summary>The project's DLL built alongside the tests (same configuration).</summary>
    public static string Dll(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/<Configuration>/net10.0/
        var path = Path.Combine(RepoRoot(), project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {project} first", path);
    }

    public static ServiceProcess Start(string project, IReadOnlyDictionary<string, string?> settings)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll(project));
        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Development";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings) psi.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(psi)!;
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) service.Output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service.Output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>kill -9: no shutdown code runs, leases are left to expire.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        _process.Dispose();
    }
}
