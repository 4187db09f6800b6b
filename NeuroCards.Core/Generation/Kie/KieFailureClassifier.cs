using NeuroCards.Core.Queue;

namespace NeuroCards.Core.Generation.Kie;

/// <summary>
/// Maps what KIE says to our failure classes, from the structured fields only (HTTP status, body
/// code, data.failCode, data.failMsg) — never the envelope's msg, which says "success" even for
/// failed tasks.
/// </summary>
public static class KieFailureClassifier
{
    // Words KIE's models use in failMsg when content was refused; matched on the failure's own fields.
    private static readonly string[] ModerationMarkers =
    [
        "moderation", "content policy", "policy violation", "violat", "sensitive", "nsfw", "inappropriate", "prohibited",
        "public figure", "celebrit", "real person", "people", "face", "logo", "copyright", "trademark", "unsafe", "safety",
    ];

    private static readonly string[] ImageFetchMarkers = ["image fetch", "fetch image", "download image", "image url", "failed to download", "image_url"];

    /// <summary>A createTask answer with a non-200 body code (or HTTP status).</summary>
    public static FailureClass ForCreate(int code) => code switch
    {
        401 or 402 => FailureClass.OurSide,
        // Not found and feature disabled on createTask concern the model, not this order.
        404 or 505 => FailureClass.ModelUnavailable,
        422 or 400 => FailureClass.BadRequest,
        429 => FailureClass.RateLimit,
        455 or 500 or 502 or 503 or 504 or 408 => FailureClass.Temporary,
        >= 500 => FailureClass.Temporary,
        _ => FailureClass.Unknown,
    };

    /// <summary>
    /// A createTask refused with a body code: a 422 that says the photo could not be fetched is its own class, and one
    /// that names the model (KIE does not document its answer for a model it dropped) means the model is unavailable.
    /// </summary>
    public static FailureClass ForCreate(int code, string? msg)
    {
        var text = (msg ?? "").ToLowerInvariant();
        if (code == 422 && ImageFetchMarkers.Any(text.Contains)) return FailureClass.ImageFetch;
        if (code is 422 or 400 && text.Contains("model", StringComparison.Ordinal)) return FailureClass.ModelUnavailable;
        return ForCreate(code);
    }

    /// <summary>A task that ended in state fail.</summary>
    public static FailureClass ForTask(string? failCode, string? failMsg)
    {
        var reason = (failMsg ?? "").ToLowerInvariant();
        if (ModerationMarkers.Any(reason.Contains)) return FailureClass.Moderation;
        if (ImageFetchMarkers.Any(reason.Contains)) return FailureClass.BadRequest;
        return failCode?.Trim() switch
        {
            "400" or "422" => FailureClass.BadRequest,
            "401" or "402" => FailureClass.OurSide,
            "429" => FailureClass.RateLimit,
            _ => FailureClass.ProviderFailure,
        };
    }

    /// <summary>Whether a failure class is worth another attempt (with backoff) before refunding.</summary>
    public static bool IsRetryable(FailureClass failureClass) =>
        failureClass is FailureClass.Temporary or FailureClass.RateLimit or FailureClass.ProviderFailure or FailureClass.ImageFetch;
}
