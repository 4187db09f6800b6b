namespace NeuroCards.Core.Marketplaces;

/// <summary>The marketplaces' API addresses are settings: only their own hosts over https, or loopback for tests.</summary>
public static class MarketplaceHosts
{
    public static bool IsAllowed(string url, params string[] domains) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && ((uri.Scheme == Uri.UriSchemeHttps && domains.Any(d => uri.Host.Equals(d, StringComparison.OrdinalIgnoreCase)
                                                                || uri.Host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase)))
            || uri.IsLoopback);
}
