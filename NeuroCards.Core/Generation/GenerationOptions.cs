using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Generation;

public sealed partial class GenerationOptions : IValidatableObject
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<GenerationOptions>;

    public const string Section = "Generation";

    /// <summary>Kie or Local; empty means Kie when KIE keys are configured, else Local (ffmpeg).</summary>
    public string? Provider { get; set; }

    /// <summary>
    /// The catalogue: the built-in models (<see cref="BuiltIn"/>) with the configuration bound over them, so one setting
    /// changes one field of one model (Generation__Models__kling-3__Price=2) and a new name adds a model.
    /// </summary>
    public Dictionary<string, VideoModelOptions> Models { get; set; } = BuiltIn();

    /// <summary>KIE model ids that no longer exist (the Sora API was shut down on 2026-09-24): a model naming one is never sent.</summary>
    public static IReadOnlyList<string> RetiredProviderModels { get; } = ["sora-2", "sora-2-pro", "sora-2-image-to-video", "sora-2-text-to-video",
        "sora-2-pro-image-to-video", "sora-2-pro-text-to-video", "sora-2-pro-storyboard", "sora-watermark-remover"];

    public static bool IsRetired(string name, VideoModelOptions? model) =>
        RetiredProviderModels.Contains(name, StringComparer.OrdinalIgnoreCase)
        || (model is not null && RetiredProviderModels.Contains(model.ProviderModel, StringComparer.OrdinalIgnoreCase));

    /// <summary>Live image-to-video models on KIE (checked 2026-12-02) with KIE's prices; fresh objects each time, as binding changes them.</summary>
    public static Dictionary<string, VideoModelOptions> BuiltIn() => new()
    {
        // Renders 3:4 and 1:1 natively: the marketplace card's frames without reframing. ≈25 KIE credits a second at 720p.
        ["seedance-2"] = new()
        {
            Title = "Seedance 2",
            Price = 1,
            Rank = 10,
            ProviderModel = "bytedance/seedance-2",
            Photo = PhotoInput.FirstFrameUrl,
            ExpectedMinutes = 5,
            Seconds = 10,
            KieCredits = 250,
            Input = new() { ["aspect_ratio"] = "9:16", ["duration"] = "10", ["resolution"] = "720p", ["generate_audio"] = "true" },
            Formats = new() { ["card"] = new() { ["aspect_ratio"] = "3:4" }, ["square"] = new() { ["aspect_ratio"] = "1:1" } },
        },
        // ≈12 KIE credits a second: the cheaper render, and the first fallback.
        ["kling-3"] = new()
        {
            Title = "Kling 3.0",
            Price = 1,
            Rank = 20,
            ProviderModel = "kling-3.0/video",
            Photo = PhotoInput.ImageUrls,
            ExpectedMinutes = 6,
            Seconds = 10,
            KieCredits = 120,
            Input = new() { ["aspect_ratio"] = "9:16", ["duration"] = "10", ["mode"] = "std", ["sound"] = "true" },
            Formats = new() { ["square"] = new() { ["aspect_ratio"] = "1:1" } },
        },
        // 8 s, 9:16 only and dearer: in the catalogue but off until an operator turns it on (/models on veo3-fast).
        ["veo3-fast"] = new()
        {
            Title = "Veo 3.1 Fast",
            Enabled = false,
            Price = 2,
            Rank = 30,
            Family = ModelFamily.Veo,
            ProviderModel = "veo3_fast",
            ExpectedMinutes = 4,
            Seconds = 8,
            KieCredits = 60,
            Input = new() { ["aspect_ratio"] = "9:16" },
        },
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider is not (null or "" or "Kie" or "Local")) yield return new("Generation__Provider must be Kie or Local");
        foreach (var (name, model) in Models)
        {
            if (model.Price < 1) yield return new($"Generation__Models__{name}__Price must be 1 credit or more");
            if (string.IsNullOrWhiteSpace(model.ProviderModel)) yield return new($"Generation__Models__{name}__ProviderModel is required (the provider's model id)");
            if (model.Seconds is < 1 or > 60) yield return new($"Generation__Models__{name}__Seconds must be between 1 and 60");
            if (model.KieCredits < 0) yield return new($"Generation__Models__{name}__KieCredits cannot be negative");
        }
        if (!Models.Any(m => m.Value.Enabled && !IsRetired(m.Key, m.Value)))
            yield return new("Generation__Models turns every model off: at least one live model must stay on");
    }

    /// <summary>
    /// What a KIE task of <paramref name="model"/> costs by the price list: its whole clip, or <paramref name="seconds"/> of
    /// it at the same rate (a card video's scene); 0 for a model not in the catalogue.
    /// </summary>
    public decimal KieCreditsOf(string model, int? seconds = null) =>
        !Models.TryGetValue(model, out var m) ? 0
        : seconds is { } s ? Math.Round(m.KieCredits * s / Math.Max(m.Seconds, 1), 2) : m.KieCredits;

    public static bool IsKie(string? provider, string? kieKeys) =>
        string.Equals(provider, "Kie", StringComparison.OrdinalIgnoreCase)
        || (string.IsNullOrWhiteSpace(provider) && !string.IsNullOrWhiteSpace(kieKeys));
}
