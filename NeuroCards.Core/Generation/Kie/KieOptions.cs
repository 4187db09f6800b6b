using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Generation.Kie;

public sealed partial class KieOptions
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<KieOptions>;

    public const string Section = "Kie";

    [Required, Url]
    public string BaseUrl { get; set; } = "https://api.kie.ai";

    /// <summary>Comma-separated API keys; the worker rotates between them.</summary>
    public string? ApiKeys { get; set; }

    /// <summary>The model offered first (a key of Generation:Models); a retired or unknown one starts with a warning and the first live model instead.</summary>
    [Required]
    public string Model { get; set; } = "seedance-2";

    /// <summary>The bot's public base URL; callbacks go to {CallbackBaseUrl}/callbacks/kie?token=… . Empty: polling only.</summary>
    public string? CallbackBaseUrl { get; set; }

    /// <summary>When set, a callback must carry KIE's HMAC signature (X-Webhook-Signature) made with this key.</summary>
    public string? WebhookHmacKey { get; set; }

    [Range(1, 600)]
    public int PollSeconds { get; set; } = 20;

    [Range(1, 24 * 60)]
    public int DeadlineMinutes { get; set; } = 30;

    /// <summary>createTask attempts per job (failed or unknown) before the job fails and is refunded.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    [Range(1, 3600)]
    public int RateLimitRestSeconds { get; set; } = 60;

    [Range(1, 24 * 3600)]
    public int OurSideRestSeconds { get; set; } = 1800;

    [Range(1, 600)]
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>What one KIE credit costs in rubles (KIE sells 1000 credits for $5): /stats' margin.</summary>
    [Range(0, 100)]
    public decimal CreditRubles { get; set; } = 0.45m;

    /// <summary>Alert the operators when the KIE balance lasts fewer days than this at last week's spend (a 402 stops every order).</summary>
    [Range(0, 365)]
    public int LowBalanceDays { get; set; } = 3;

    /// <summary>How often one worker of the cluster reads KIE's balance.</summary>
    [Range(0.01, 24 * 60)]
    public double BalanceCheckMinutes { get; set; } = 15;

    public IReadOnlyList<string> Keys => (ApiKeys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
