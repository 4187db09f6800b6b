using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Bot;

public sealed partial class BotOptions
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

    public IReadOnlyList<string> DemoVideos => (DemoVideoFileIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
