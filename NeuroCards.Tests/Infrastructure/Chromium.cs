using System.Diagnostics;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>Debian's headless Chromium: the page's DOM after its scripts ran, and a screenshot kept as a test artefact.</summary>
public static class Chromium
{
    public static string? Path => File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;

    public static string ArtefactDir()
    {
        var dir = System.IO.Path.Combine(ServiceProcess.RepoRoot(), "TestResults", "artifacts");
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static async Task<string> DumpDomAsync(string url, string? screenshot = null)
    {
        var profile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nc-chromium-" + Guid.NewGuid().ToString("N")[..8]);
        var common = $"--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir={profile} --virtual-time-budget=8000 --window-size=1280,900";
        try
        {
            if (screenshot is not null) await RunAsync($"{common} --screenshot={screenshot} {url}");
            return await RunAsync($"{common} --dump-dom {url}");
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<string> RunAsync(string args)
    {
        var psi = new ProcessStartInfo(Path!, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return await output;
    }
}
