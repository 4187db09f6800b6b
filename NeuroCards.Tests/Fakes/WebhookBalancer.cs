using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace NeuroCards.Tests.Fakes;

/// <summary>
/// A load balancer in front of bot replicas, as an operator would put one: every webhook delivery goes to the next
/// replica in turn (no stickiness), with its secret header; what each replica got is counted.
/// </summary>
public sealed class WebhookBalancer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _forward = new() { Timeout = TimeSpan.FromSeconds(60) };
    private int _turn;

    public ConcurrentDictionary<int, int> Served { get; } = new();

    /// <summary>The one webhook URL the replicas register.</summary>
    public string WebhookUrl => _app.Urls.First() + "/telegram/webhook";

    private WebhookBalancer(WebApplication app) => _app = app;

    public static async Task<WebhookBalancer> StartAsync(IReadOnlyList<int> replicaPorts)
    {
        var app = LoopbackApp.CreateBuilder().Build();
        var balancer = new WebhookBalancer(app);
        app.MapPost("/telegram/webhook", async (HttpContext c) =>
        {
            var port = replicaPorts[(int)((uint)Interlocked.Increment(ref balancer._turn) % replicaPorts.Count)];
            balancer.Served.AddOrUpdate(port, 1, (_, n) => n + 1);
            using var body = new MemoryStream();
            await c.Request.Body.CopyToAsync(body);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/telegram/webhook") { Content = new ByteArrayContent(body.ToArray()) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", c.Request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString());
            try
            {
                using var response = await balancer._forward.SendAsync(request);
                return Results.StatusCode((int)response.StatusCode);
            }
            catch (HttpRequestException)
            {
                return Results.StatusCode(StatusCodes.Status502BadGateway);
            }
        });
        await app.StartAsync();
        return balancer;
    }

    public async ValueTask DisposeAsync()
    {
        _forward.Dispose();
        await _app.DisposeAsync();
    }
}
