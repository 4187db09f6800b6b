namespace NeuroCards.Core.Telegram;

public sealed class TelegramOptions
{
    public const string Section = "Telegram";

    public string BotToken { get; set; } = "";

    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    public string Mode { get; set; } = "Polling";

    public string? WebhookUrl { get; set; }

    public string? WebhookSecret { get; set; }

    /// <summary>Comma-separated Telegram user ids; nobody is admin by default.</summary>
    public string? AdminIds { get; set; }

    /// <summary>A local Bot API server takes uploads up to 2000 MB instead of 50 MB.</summary>
    public bool LocalBotApiServer { get; set; }

    public long UploadLimitBytes => LocalBotApiServer ? 2000L * 1024 * 1024 : 50L * 1024 * 1024;

    public IReadOnlySet<long> Admins => (AdminIds ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(long.Parse).ToHashSet();
}
