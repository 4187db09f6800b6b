namespace NeuroCards.AppHost.Hosting;

/// <summary>What referencing a resource puts into a project's environment (some values known only later, like a URL).</summary>
public sealed class Reference(Dictionary<string, string?> environment, Func<Dictionary<string, string?>>? late = null)
{
    public IReadOnlyDictionary<string, string?> Environment()
    {
        var all = new Dictionary<string, string?>(environment);
        foreach (var (k, v) in late?.Invoke() ?? []) all[k] = v;
        return all;
    }
}
