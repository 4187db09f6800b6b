namespace NeuroCards.AppHost.Hosting;

/// <summary>Command-line flags of the run command.</summary>
public sealed record AppHostOptions(string StateDir, string Storage, int Workers, int DashboardPort, string? BotToken)
{
    public static AppHostOptions Parse(string[] args, string repoRoot)
    {
        string? Value(string flag) => args.SkipWhile(a => a != flag).Skip(1).FirstOrDefault();
        var azurite = Resources.AzuriteResource.FindExecutable(repoRoot) is not null;
        return new AppHostOptions(
            Path.GetFullPath(Value("--state-dir") ?? Path.Combine(repoRoot, ".neurocards")),
            Value("--storage") ?? (azurite ? "azurite" : "local"),
            int.TryParse(Value("--workers"), out var w) && w > 0 ? w : 1,
            int.TryParse(Value("--dashboard-port"), out var p) ? p : 18888,
            Environment.GetEnvironmentVariable("Telegram__BotToken"));
    }
}
