using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NeuroCards.Tests.Fakes;

/// <summary>The OpenAI chat completions API (/v1/chat/completions) on loopback, answering or failing on request.</summary>
public sealed class OpenAiFake : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentQueue<JsonObject> Requests { get; } = new();
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
        await app.StartAsync();
        return fake;
    }

    private static JsonObject Error(string code, string message) =>
        new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["code"] = code } };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
