using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Bot;

public sealed partial class BotOptions : IValidatableObject
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<BotOptions>;

    public const string Section = "Bot";

    /// <summary>
    /// Updates handled at once by this replica. Default: the Npgsql pool less a quarter (an update holds one connection; the
    /// quarter is for background services and payment steps that commit on their own). Behind a transaction pooler: its
    /// pool ÷ bot replicas, less a quarter.
    /// </summary>
    [Range(1, 1000)]
    public int? MaxConcurrentUpdates { get; set; }

    [Required, Url]
    public string TermsUrl { get; set; } = "https://neurocards.example/terms";

    [Required, Url]
    public string PrivacyUrl { get; set; } = "https://neurocards.example/privacy";

    [Required]
    public string ConsentVersion { get; set; } = "2026-11";

    [Required, Url]
    public string SupportUrl { get; set; } = "https://t.me/neurocards_support";

    /// <summary>Comma-separated Telegram file_ids of demo videos, sent as one album after consent.</summary>
    public string? DemoVideoFileIds { get; set; }

    [Range(1, 20 * 1024 * 1024)]
    public int MaxPhotoBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// The bot's public https URL (the host of the webhook and media): the Mini App is served at its <c>/app</c>, set as the
    /// chat's menu button and offered in the account. Unset: no Mini App (Telegram opens only https ones; http on loopback for a local run).
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>How long a Mini App's initData is taken after Telegram signed it (Telegram signs it when the app opens).</summary>
    [Range(1, 168)]
    public int MiniAppSessionHours { get; set; } = 24;

    public string? MiniAppUrl => string.IsNullOrEmpty(PublicUrl) ? null : PublicUrl.TrimEnd('/') + "/app";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(PublicUrl) && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url)
                                                  && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
            yield return new("Bot__PublicUrl must be the bot's public https address (Telegram opens only https Mini Apps), or empty for none");
    }

    public IReadOnlyList<string> DemoVideos => (DemoVideoFileIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
