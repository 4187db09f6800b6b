using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NeuroCards.Tests.Fakes;

/// <summary>YooKassa's REST API (v3/payments) on loopback: Basic auth and Idempotence-Key required, payments' states set by tests.</summary>
public sealed class YooKassaFake : IAsyncDisposable
{
    public const string ShopId = "123456";
    public const string SecretKey = "test_secret_key";
    private readonly WebApplication _app;

    public ConcurrentDictionary<string, JsonObject> Payments { get; } = new();
    public ConcurrentQueue<(string Method, string Path, string? IdempotenceKey)> Requests { get; } = new();

    public string BaseUrl => _app.Urls.First() + "/v3/";

    private YooKassaFake(WebApplication app) => _app = app;

    public static async Task<YooKassaFake> StartAsync()
    {
        var builder = LoopbackApp.CreateBuilder();
        var app = builder.Build();
        var fake = new YooKassaFake(app);
        var auth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ShopId}:{SecretKey}"));
        app.Use(async (c, next) =>
        {
            fake.Requests.Enqueue((c.Request.Method, c.Request.Path, c.Request.Headers["Idempotence-Key"].FirstOrDefault()));
            if (c.Request.Headers.Authorization != auth)
            {
                c.Response.StatusCode = 401;
                await c.Response.WriteAsJsonAsync(new { type = "error", code = "invalid_credentials" });
                return;
            }
            await next(c);
        });
        app.MapPost("/v3/payments", async (HttpContext c) =>
        {
            if (string.IsNullOrEmpty(c.Request.Headers["Idempotence-Key"])) return Results.BadRequest(new { type = "error", code = "invalid_request" });
            var body = (await JsonNode.ParseAsync(c.Request.Body))!.AsObject();
            var id = "2f" + Guid.NewGuid().ToString("N")[..6] + "-000f-5000-9000-" + Guid.NewGuid().ToString("N")[..12];
            var payment = new JsonObject
            {
                ["id"] = id,
                ["status"] = "pending",
                ["paid"] = false,
                ["amount"] = body["amount"]!.DeepClone(),
                ["confirmation"] = new JsonObject { ["type"] = "redirect", ["confirmation_url"] = $"https://yoomoney.ru/checkout/payments/v2/contract?orderId={id}" },
                ["metadata"] = body["metadata"]!.DeepClone(),
                ["description"] = body["description"]?.DeepClone(),
            };
            fake.Payments[id] = payment;
            return Results.Json(payment);
        });
        app.MapGet("/v3/payments/{id}", (string id) => fake.Payments.TryGetValue(id, out var p) ? Results.Json(p) : Results.NotFound(new { type = "error", code = "not_found" }));
        await app.StartAsync();
        return fake;
    }

    /// <summary>What happens at YooKassa after the user pays (or does not).</summary>
    public void Set(string id, string status, string? amount = null)
    {
        var p = Payments[id];
        p["status"] = status;
        p["paid"] = status == "succeeded";
        if (amount is not null) p["amount"]!["value"] = amount;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
