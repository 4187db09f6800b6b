using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NeuroCards.AppHost.Hosting;

/// <summary>
/// A .NET service run from its built DLL with its environment; restarted with exponential backoff
/// when it crashes; stopped with SIGTERM (then killed after a grace period).
/// </summary>
public sealed partial class ServiceResource(ResourceState state, string dll, IReadOnlyDictionary<string, string?> environment, string? healthUrl)
{
    private Process? _process;
    private bool _stopping;

    public ResourceState State { get; } = state;
    public string? HealthUrl { get; } = healthUrl;

    public void Start()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"{State.Name} did not start");
        process.EnableRaisingEvents = true;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) State.Log(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) State.Log(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => OnExited(process);
        _process = process;
        State.Pid = process.Id;
        State.State = "Running";
        State.Health = "Unknown";
    }

    private void OnExited(Process process)
    {
        if (_stopping) return;
        State.State = "Crashed";
        State.Health = "Unhealthy";
        State.Log($"process exited with code {process.ExitCode}; restarting");
        var delay = RestartDelay(State.Restarts);
        _ = Task.Run(async () =>
        {
            await Task.Delay(delay);
            if (_stopping) return;
            State.Restarts++;
            Start();
        });
    }

    /// <summary>1 s, 2 s, 4 s … up to 30 s.</summary>
    public static TimeSpan RestartDelay(int restarts) => TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, restarts)));

    public async Task StopAsync(TimeSpan grace)
    {
        _stopping = true;
        var process = _process;
        if (process is null || process.HasExited) return;
        _ = Kill(process.Id, 15);
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        State.State = "Stopped";
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
