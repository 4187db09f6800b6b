using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NeuroCards.AppHost.Hosting;
using Npgsql;

namespace NeuroCards.AppHost.Dashboard;

/// <summary>
/// The dashboard at http://localhost:18888: resources (state, health, pid, restarts, endpoints),
/// console logs, structured logs, traces and metrics received over OTLP/HTTP, and the job queue.
/// </summary>
public static class DashboardServer
{
    public static async Task<WebApplication> StartAsync(LocalApp app, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var web = builder.Build();
        var store = app.Telemetry;

        web.MapGet("/", () => Results.Stream(typeof(DashboardServer).Assembly.GetManifestResourceStream("dashboard/index.html")!, "text/html; charset=utf-8"));
        web.MapGet("/api/resources", () => app.Resources.Select(r => new { r.Name, r.Kind, r.State, r.Health, r.Pid, r.Restarts, r.Endpoints }));
        web.MapGet("/api/logs/{name}", (string name) => app.Resources.FirstOrDefault(r => r.Name == name)?.Logs().TakeLast(500) ?? []);
        web.MapGet("/api/structured-logs", (string? service) =>
            store.Logs.Where(l => service is null || l.Service == service).TakeLast(300).Reverse());
        web.MapGet("/api/traces", () => store.Spans.GroupBy(s => s.TraceId).Select(t => new
        {
            TraceId = t.Key,
            Services = t.Select(s => s.Service).Distinct().Order().ToList(),
            Root = (t.FirstOrDefault(s => s.ParentSpanId is null || t.All(o => o.SpanId != s.ParentSpanId)) ?? t.First()).Name,
            Spans = t.Count(),
            Start = t.Min(s => s.Start),
            DurationMs = (t.Max(s => s.Start.AddMilliseconds(s.DurationMs)) - t.Min(s => s.Start)).TotalMilliseconds,
        }).OrderByDescending(t => t.Services.Count).ThenByDescending(t => t.Start).Take(100));
        web.MapGet("/api/traces/{id}", (string id) => store.Spans.Where(s => s.TraceId == id).OrderBy(s => s.Start));
        web.MapGet("/api/metrics", () => store.Metrics.Values.OrderBy(m => m.Service).ThenBy(m => m.Name));
        web.MapGet("/api/queue", async () =>
        {
            if (app.DatabaseConnectionString is null) return Results.Json(new { byStatus = new Dictionary<string, int>(), failures = Array.Empty<object>() });
            await using var conn = new NpgsqlConnection(app.DatabaseConnectionString);
            var byStatus = (await conn.QueryAsync<(string Status, int Count)>("select status, count(*)::int from jobs group by status"))
                .ToDictionary(r => r.Status, r => r.Count);
            var failures = await conn.QueryAsync("select id, error_class, error_text, failed_at from jobs where status = 'failed' order by failed_at desc limit 10");
            return Results.Json(new { byStatus, failures });
        });
        web.MapPost("/v1/traces", (Delegate)(async (HttpContext c) => Accepted(OtlpDecoder.Traces(await BodyAsync(c), store))));
        web.MapPost("/v1/logs", (Delegate)(async (HttpContext c) => Accepted(OtlpDecoder.Logs(await BodyAsync(c), store))));
        web.MapPost("/v1/metrics", (Delegate)(async (HttpContext c) => Accepted(OtlpDecoder.Metrics(await BodyAsync(c), store))));
        await web.StartAsync();
        return web;
    }

    // An empty Export*ServiceResponse: full success, in protobuf.
    private static IResult Accepted(int _) => Results.Bytes([], "application/x-protobuf");

    private static async Task<byte[]> BodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
