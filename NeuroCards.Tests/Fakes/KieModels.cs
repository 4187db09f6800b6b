using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuroCards.Tests.Fakes;

/// <summary>
/// The models KIE serves, with the input each one takes (docs.kie.ai, checked 2026-12-02) and what a task costs: the fake
/// refuses a request the real API would refuse — an unknown model, a field the model does not have, a value out of range.
/// </summary>
public static class KieModels
{
    private static readonly string[] SeedanceAspects = ["1:1", "4:3", "3:4", "16:9", "9:16", "21:9", "adaptive"];
    private static readonly string[] KlingAspects = ["16:9", "9:16", "1:1"];
    private static readonly string[] VeoAspects = ["16:9", "9:16"];
    private static readonly string[] ImageAspects = ["1:1", "9:16", "16:9", "3:4", "4:3", "3:2", "2:3", "5:4", "4:5", "21:9", "auto"];

    /// <summary>The image models: their tasks return a picture.</summary>
    public static bool IsImage(string model) => model is "google/nano-banana-edit" or "seedream/4.5-edit";

    public static decimal PriceOf(string model) => model switch
    {
        "bytedance/seedance-2" => 250,
        "bytedance/seedance-2-fast" => 150,
        "bytedance/seedance-2-mini" => 80,
        "kling-3.0/video" => 120,
        "veo3_fast" or "veo3_lite" => 60,
        "veo3" => 250,
        "google/nano-banana-edit" => 4,
        "seedream/4.5-edit" => 5,
        _ => 0,
    };

    /// <summary>Null when KIE would take the request; else the message of its 422.</summary>
    public static string? Validate(string model, JsonObject body, bool veo)
    {
        if (veo)
        {
            if (model is not ("veo3" or "veo3_fast" or "veo3_lite")) return $"The model '{model}' is not supported";
            if (body["imageUrls"] is not JsonArray { Count: >= 1 and <= 2 }) return "imageUrls needs one or two image URLs";
            return OneOf(body, "aspect_ratio", VeoAspects) ?? Text(body, "prompt", 5000);
        }
        var input = body["input"] as JsonObject;
        if (input is null) return "input is required";
        return model switch
        {
            "bytedance/seedance-2" or "bytedance/seedance-2-fast" or "bytedance/seedance-2-mini" =>
                Text(input, "prompt", 20000) ?? Url(input, "first_frame_url") ?? Absent(input, "image_urls") ?? OneOf(input, "aspect_ratio", SeedanceAspects)
                ?? Whole(input, "duration", 4, 15) ?? OneOf(input, "resolution", ["480p", "720p", "1080p", "4k"]) ?? Flag(input, "generate_audio"),
            "kling-3.0/video" =>
                Text(input, "prompt", 2500) ?? (input["image_urls"] is JsonArray { Count: >= 1 and <= 2 } ? null : "input.image_urls needs one or two image URLs")
                ?? Absent(input, "first_frame_url") ?? OneOf(input, "aspect_ratio", KlingAspects) ?? Whole(input, "duration", 3, 15)
                ?? OneOf(input, "mode", ["std", "pro"]) ?? Flag(input, "sound"),
            "google/nano-banana-edit" or "seedream/4.5-edit" =>
                Text(input, "prompt", 5000) ?? (input["image_urls"] is JsonArray { Count: >= 1 and <= 10 } ? null : "input.image_urls needs one to ten image URLs")
                ?? Absent(input, "first_frame_url") ?? OneOf(input, "aspect_ratio", ImageAspects),
            _ => $"The model '{model}' is not supported",
        };
    }

    private static string? Text(JsonObject o, string name, int max) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } t && t.Length <= max
            ? null : $"{name} is required (up to {max} characters)";

    private static string? Url(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && Uri.TryCreate(v.GetValue<string>(), UriKind.Absolute, out _)
            ? null : $"input.{name} must be an image URL";

    private static string? Absent(JsonObject o, string name) => o.ContainsKey(name) ? $"input.{name} is not a parameter here" : null;

    private static string? OneOf(JsonObject o, string name, string[] allowed) =>
        o[name] is null || (o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && allowed.Contains(v.GetValue<string>()))
            ? null : $"{name} must be one of {string.Join(", ", allowed)}";

    private static string? Whole(JsonObject o, string name, int min, int max) =>
        o[name] is null || (o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.GetValue<int>() is var n && n >= min && n <= max)
            ? null : $"{name} must be a number from {min} to {max}";

    private static string? Flag(JsonObject o, string name) =>
        o[name] is null || o[name]!.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? null : $"{name} must be true or false";
}
