namespace NeuroCards.AppHost.Configuration;

/// <summary>One key of the configuration contract (platform.md), handed to a service as an Aspire parameter.</summary>
public sealed record ServiceSetting(string Key, bool Secret = false, string? Default = null, string? Note = null)
{
    /// <summary>The parameter's name: <c>Telegram__BotToken</c> is <c>telegram-bottoken</c> (set it as <c>Parameters:telegram-bottoken</c>).</summary>
    public string Parameter => Key.Replace("__", "-").Replace('_', '-').ToLowerInvariant();
}
