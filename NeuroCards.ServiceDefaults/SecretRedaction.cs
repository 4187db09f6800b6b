using System.Text.RegularExpressions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Secrets that travel inside URLs — the bot token in every Bot API path, per-task callback tokens,
/// media signatures — are cut out before a URL reaches logs or traces.
/// </summary>
public static partial class SecretRedaction
{
    public static string Redact(string url) =>
        SecretQuery().Replace(BotToken().Replace(url, "/bot$1<redacted>"), m => m.Groups[1].Value + "=<redacted>");

    // /bot<token>/<method> (the Bot API) and /bots/<token>/… (the emulator's control API).
    [GeneratedRegex(@"/bot(s/)?\d+:[A-Za-z0-9_-]+")]
    private static partial Regex BotToken();

    [GeneratedRegex(@"\b(token|sig|secret|key)=[^&#]+", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQuery();
}
