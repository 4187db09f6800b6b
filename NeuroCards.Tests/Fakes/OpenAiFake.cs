using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NeuroCards.Tests.Fakes;

/// <summary>
/// The OpenAI API on loopback — chat completions (/v1/chat/completions) and speech (/v1/audio/speech, spoken by
/// espeak-ng) — answering or failing on request, and refusing what OpenAI refuses.
/// </summary>
public sealed class OpenAiFake : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentQueue<JsonObject> Requests { get; } = new();
    /// <summary>What reached /v1/audio/speech.</summary>
    public ConcurrentQueue<JsonObject> SpeechRequests { get; } = new();

    private static readonly string[] Voices = ["alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse", "marin", "cedar"];
    /// <summary>ok, 500, region (403 unsupported_country_region_territory), slow.</summary>
    public string Mode { get; set; } = "ok";
    public Func<JsonObject, string> Answer { get; set; } = request =>
        "```\nPrompt: \"A cheerful woman in a bright kitchen holds the mug from the first frame, vertical 9:16, handheld.\"\n```";

    public string BaseUrl => _app.Urls.First() + "/v1";

    private OpenAiFake(WebApplication app) => _app = app;

    public static async Task<OpenAiFake> StartAsync(string address = "127.0.0.1")
    {
        var builder = LoopbackApp.CreateBuilder(address);
        var app = builder.Build();
        var fake = new OpenAiFake(app);
        app.MapPost("/v1/chat/completions", async (HttpContext c) =>
        {
            var body = (await JsonNode.ParseAsync(c.Request.Body))!.AsObject();
            fake.Requests.Enqueue(body);
            if (c.Request.Headers.Authorization != "Bearer sk-test") return Results.Json(Error("invalid_api_key", "Incorrect API key"), statusCode: 401);
            if (SchemaProblem(body["response_format"]) is { } problem) return Results.Json(Error(null, problem), statusCode: 400);
            switch (fake.Mode)
            {
                case "500":
                    return Results.Json(Error("server_error", "The server had an error"), statusCode: 500);
                case "region":
                    return Results.Json(Error("unsupported_country_region_territory", "Country, region, or territory not supported"), statusCode: 403);
                case "slow":
                    await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted);
                    break;
            }
            return Results.Json(new JsonObject
            {
                ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N")[..10],
                ["object"] = "chat.completion",
                ["created"] = 1700000000,
                ["model"] = body["model"]?.GetValue<string>(),
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["finish_reason"] = "stop",
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = fake.Answer(body) },
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 50, ["total_tokens"] = 150 },
            });
        });
        app.MapPost("/v1/audio/speech", async (HttpContext c) =>
        {
            var body = (await JsonNode.ParseAsync(c.Request.Body))!.AsObject();
            fake.SpeechRequests.Enqueue(body);
            if (c.Request.Headers.Authorization != "Bearer sk-test") return Results.Json(Error("invalid_api_key", "Incorrect API key"), statusCode: 401);
            if (fake.Mode == "500") return Results.Json(Error("server_error", "The server had an error"), statusCode: 500);
            var model = body["model"]?.GetValue<string>();
            var voice = body["voice"]?.GetValue<string>();
            var input = body["input"]?.GetValue<string>() ?? "";
            var format = body["response_format"]?.GetValue<string>() ?? "mp3";
            if (model is not ("gpt-4o-mini-tts" or "tts-1" or "tts-1-hd")) return Results.Json(Error("model_not_found", $"The model '{model}' does not exist"), statusCode: 404);
            if (!Voices.Contains(voice)) return Results.Json(Error(null, $"Invalid value: '{voice}'. Supported values are: {string.Join(", ", Voices)}."), statusCode: 400);
            if (input.Length is 0 or > 4096) return Results.Json(Error("string_above_max_length", "'input' must be 1 to 4096 characters"), statusCode: 400);
            if (body["instructions"] is not null && model.StartsWith("tts-1", StringComparison.Ordinal))
                return Results.Json(Error(null, "Instructions are not supported with tts-1 models"), statusCode: 400);
            if (format is not ("wav" or "mp3")) return Results.Json(Error(null, $"This fake speaks wav and mp3, not {format}"), statusCode: 400);
            // A real Russian voice, so what the caller mixes is speech: espeak-ng's, as a WAV (or an MP3 made from it).
            var wav = Path.Combine(Path.GetTempPath(), $"openai-fake-{Guid.NewGuid():N}.wav");
            var text = wav + ".txt";
            await File.WriteAllTextAsync(text, input.Replace("\u0301", ""));
            try
            {
                var spoken = await NeuroCards.Core.Hosting.ToolRunner.RunAsync("espeak-ng", ["-v", "ru", "-f", text, "-w", wav], TimeSpan.FromSeconds(30), c.RequestAborted);
                if (!spoken.Succeeded) return Results.Json(Error("server_error", spoken.Error), statusCode: 500);
                if (format == "mp3")
                {
                    await NeuroCards.Core.Hosting.ToolRunner.RunAsync("ffmpeg", ["-loglevel", "error", "-y", "-i", wav, wav + ".mp3"], TimeSpan.FromSeconds(30), c.RequestAborted);
                    return Results.Bytes(await File.ReadAllBytesAsync(wav + ".mp3"), "audio/mpeg");
                }
                return Results.Bytes(await File.ReadAllBytesAsync(wav), "audio/wav");
            }
            finally
            {
                foreach (var file in new[] { wav, text, wav + ".mp3" }) File.Delete(file);
            }
        });
        await app.StartAsync();
        return fake;
    }

    /// <summary>
    /// What OpenAI says of a strict json_schema it will not use: every object must list all its properties as required
    /// and set additionalProperties to false.
    /// </summary>
    private static string? SchemaProblem(JsonNode? format)
    {
        if (format?["type"]?.GetValue<string>() != "json_schema") return null;
        var spec = format["json_schema"];
        if (spec?["strict"]?.GetValue<bool>() != true) return null;
        var name = spec["name"]?.GetValue<string>();
        string? Check(JsonNode? node, string context)
        {
            if (node is not JsonObject schema) return null;
            if (schema["type"]?.GetValue<string>() == "object")
            {
                if (schema["additionalProperties"]?.GetValue<bool>() != false)
                    return $"Invalid schema for response_format '{name}': In context=({context}), 'additionalProperties' is required to be supplied and to be false.";
                var properties = schema["properties"]?.AsObject().Select(p => p.Key).ToHashSet() ?? [];
                var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
                if (!properties.SetEquals(required))
                    return $"Invalid schema for response_format '{name}': In context=({context}), 'required' is required to be supplied and to be an array including every key in properties.";
                foreach (var (key, child) in schema["properties"]?.AsObject() ?? [])
                    if (Check(child, context.Length == 0 ? $"'properties', '{key}'" : $"{context}, 'properties', '{key}'") is { } problem) return problem;
            }
            return Check(schema["items"], context.Length == 0 ? "'items'" : $"{context}, 'items'");
        }
        return Check(spec["schema"], "");
    }

    private static JsonObject Error(string? code, string message) =>
        new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["code"] = code } };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
