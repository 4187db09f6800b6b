using Microsoft.Extensions.Configuration;

namespace NeuroCards.AppHost.Hosting;

/// <summary>
/// The knobs of a local run (<c>-- --storage local|azurite --workers N --state-dir DIR</c>): where the cluster,
/// Azurite and media live between runs, which blob storage, how many worker replicas.
/// </summary>
public sealed record LocalRun(string StateDir, string? Azurite, int Workers)
{
    public string PostgresData => Path.Combine(StateDir, "postgres");
    public string AzuriteData => Path.Combine(StateDir, "azurite");
    public string MediaFolder => Path.Combine(StateDir, "media");

    /// <summary>The key that seals sellers' marketplace secrets in a local run.</summary>
    public string ShopKeyFile => Path.Combine(StateDir, "shops.key");

    public static LocalRun From(IDistributedApplicationBuilder builder)
    {
        var repoRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var config = builder.Configuration;
        var stateDir = Path.GetFullPath(config["state-dir"] ?? Path.Combine(repoRoot, ".neurocards"));
        var azurite = Storage.StorageExtensions.FindAzurite(repoRoot);
        var storage = config["storage"] ?? (azurite is null ? "local" : "azurite");
        if (storage is not ("local" or "azurite")) throw new ArgumentException($"--storage takes local or azurite, not '{storage}'");
        if (storage == "azurite" && azurite is null)
            throw new InvalidOperationException("Azurite is not installed: run 'bash scripts/setup.sh' (it installs the npm package into .tools/), or use --storage local.");
        var workers = config.GetValue("workers", 1);
        if (workers < 1) throw new ArgumentException("--workers takes a number from 1 up");
        if (builder.ExecutionContext.IsRunMode) RequireOnPath("ffmpeg", "ffprobe");
        Directory.CreateDirectory(stateDir);
        return new LocalRun(stateDir, storage == "azurite" ? azurite : null, workers);
    }

    private static void RequireOnPath(params string[] tools)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (var tool in tools)
        {
            if (!path.Any(dir => File.Exists(Path.Combine(dir, tool))))
                throw new InvalidOperationException($"'{tool}' is not installed: the worker renders and checks videos with it. Run 'bash scripts/setup.sh'.");
        }
    }
}
