using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Telegram;

public sealed partial class TelegramOptions : IValidatableObject
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<TelegramOptions>;

    public const string Section = "Telegram";

    public string BotToken { get; set; } = "";

    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    public TelegramMode Mode { get; set; } = TelegramMode.Polling;

    public string? WebhookUrl { get; set; }

    public string? WebhookSecret { get; set; }

    /// <summary>A self-signed certificate's PEM file (a server without a domain), uploaded with setWebhook so Telegram trusts it.</summary>
    public string? WebhookCertificate { get; set; }

    /// <summary>Comma-separated Telegram user ids; nobody is admin by default.</summary>
    public string? AdminIds { get; set; }

    /// <summary>A local Bot API server takes uploads up to 2000 MB instead of 50 MB.</summary>
    public bool LocalBotApiServer { get; set; }

    public long UploadLimitBytes => LocalBotApiServer ? 2000L * 1024 * 1024 : 50L * 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TokenPattern().IsMatch(BotToken)) yield return new("Telegram__BotToken is required: the bot token from @BotFather, like 123456789:AA…");
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out _)) yield return new("Telegram__ApiBaseUrl must be an absolute URL (default https://api.telegram.org)");
        if (Mode == TelegramMode.Webhook && !(Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var url) && url.Scheme == "https"
                                   || (WebhookUrl ?? "").StartsWith("http://127.0.0.1", StringComparison.Ordinal)))
            yield return new("Telegram__WebhookUrl is required in webhook mode: the public https URL of /telegram/webhook");
        if (Mode == TelegramMode.Webhook && (WebhookSecret ?? "").Length < 16)
            yield return new("Telegram__WebhookSecret is required in webhook mode: a random secret of at least 16 characters");
        if (!string.IsNullOrEmpty(WebhookCertificate) && !File.Exists(WebhookCertificate))
            yield return new("Telegram__WebhookCertificate must name the webhook's PEM certificate file, readable by the bot");
        if (!(AdminIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(id => long.TryParse(id, out _)))
            yield return new("Telegram__AdminIds must be comma-separated Telegram user ids");
    }

    [GeneratedRegex(@"^\d{3,}:[A-Za-z0-9_-]{3,}$")]
    private static partial Regex TokenPattern();

    public IReadOnlySet<long> Admins => (AdminIds ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(long.Parse).ToHashSet();
}
