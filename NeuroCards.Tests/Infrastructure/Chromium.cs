namespace NeuroCards.Tests.Infrastructure;

/// <summary>Debian's Chromium, which the browser tests drive through Playwright; their screenshots are kept as test artefacts.</summary>
public static class Chromium
{
    public static string? Path => File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;

    public static string ArtefactDir()
    {
        var dir = System.IO.Path.Combine(ServiceProcess.RepoRoot(), "TestResults", "artifacts");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
