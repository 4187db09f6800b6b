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

    /// <summary>Default model name (a key of Generation:Models).</summary>
    [Required]
    public string Model { get; set; } = "sora-2";

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

    public IReadOnlyList<string> Keys => (ApiKeys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
