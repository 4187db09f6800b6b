namespace NeuroCards.AppHost.Hosting;

public static class Repo
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NeuroCards.sln"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    /// <summary>Stops with one clear line when the machine lacks a tool the services need.</summary>
    public static void RequireTools(params string[] tools)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':');
        foreach (var tool in tools)
        {
            if (!path.Any(dir => File.Exists(Path.Combine(dir, tool))))
            {
                Console.Error.WriteLine($"'{tool}' is not installed, and the worker needs it. Run: bash scripts/setup.sh");
                Environment.Exit(1);
            }
        }
    }
}
