using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace NeuroCards.Tests.Fakes;

/// <summary>
/// Speaks the Supabase Storage REST API (/storage/v1/object…) on loopback, storing objects in a
/// temp folder. Rejects requests without the service-role key, and records every request.
/// </summary>
public sealed class SupabaseStorageFake : IAsyncDisposable
{
    public const string ServiceKey = "service-role-key-for-tests";
    private readonly WebApplication _app;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nc-supabase-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ConcurrentDictionary<string, string> _tokens = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    public string Url => _app.Urls.First();

    private SupabaseStorageFake(WebApplication app) => _app = app;

    public static async Task<SupabaseStorageFake> StartAsync()
    {
        var builder = LoopbackApp.CreateBuilder();
        var app = builder.Build();
        var fake = new SupabaseStorageFake(app);
        fake.Map(app);
        await app.StartAsync();
        return fake;
    }

    private string PathOf(string bucket, string key) => Path.Combine(_root, bucket, key);

    private static bool Authorized(HttpContext c) =>
        c.Request.Headers.Authorization == "Bearer " + ServiceKey && c.Request.Headers["apikey"] == ServiceKey;

    private void Map(WebApplication app)
    {
        app.Use(async (c, next) =>
        {
            Requests.Enqueue($"{c.Request.Method} {c.Request.Path}{c.Request.QueryString}");
            var isSignedDownload = c.Request.Path.StartsWithSegments("/storage/v1/object/sign") && c.Request.Method == "GET";
            if (!isSignedDownload && !Authorized(c))
            {
                c.Response.StatusCode = 401;
                await c.Response.WriteAsJsonAsync(new { statusCode = "401", error = "Unauthorized", message = "Invalid JWT" });
                return;
            }
            await next(c);
        });

        app.MapPost("/storage/v1/object/sign/{bucket}/{**key}", async (string bucket, string key, HttpContext c) =>
        {
            var body = await JsonNode.ParseAsync(c.Request.Body);
            if (body?["expiresIn"]?.GetValue<int>() is not > 0) return Results.BadRequest(new { message = "expiresIn required" });
            if (!File.Exists(PathOf(bucket, key))) return Results.BadRequest(new { statusCode = "404", error = "not_found", message = "Object not found" });
            var token = Guid.NewGuid().ToString("N");
            _tokens[token] = bucket + "/" + key;
            return Results.Json(new Dictionary<string, string> { ["signedURL"] = $"/object/sign/{bucket}/{key}?token={token}" });
        });
        app.MapGet("/storage/v1/object/sign/{bucket}/{**key}", (string bucket, string key, string? token) =>
            token is not null && _tokens.TryGetValue(token, out var target) && target == bucket + "/" + key
                ? Results.File(PathOf(bucket, key), "application/octet-stream", enableRangeProcessing: true)
                : Results.BadRequest(new { message = "invalid signature" }));

        app.MapPost("/storage/v1/object/list/{bucket}", async (string bucket, HttpContext c) =>
        {
            var body = await JsonNode.ParseAsync(c.Request.Body);
            var prefix = body?["prefix"]?.GetValue<string>() ?? "";
            var dir = Path.Combine(_root, bucket, prefix);
            var entries = new JsonArray();
            if (Directory.Exists(dir))
            {
                foreach (var d in Directory.GetDirectories(dir).Order())
                    entries.Add(new JsonObject { ["name"] = Path.GetFileName(d), ["id"] = null, ["metadata"] = null });
                foreach (var f in Directory.GetFiles(dir).Where(f => !f.EndsWith(".type")).Order())
                {
                    var info = new FileInfo(f);
                    entries.Add(new JsonObject
                    {
                        ["name"] = info.Name,
                        ["id"] = Guid.NewGuid().ToString(),
                        ["updated_at"] = info.LastWriteTimeUtc.ToString("O"),
                        ["created_at"] = info.CreationTimeUtc.ToString("O"),
                        ["metadata"] = new JsonObject { ["size"] = info.Length },
                    });
                }
            }
            return Results.Content(entries.ToJsonString(), "application/json");
        });

        app.MapPost("/storage/v1/object/{bucket}/{**key}", async (string bucket, string key, HttpContext c) =>
        {
            var path = PathOf(bucket, key);
            if (File.Exists(path) && c.Request.Headers["x-upsert"] != "true")
                return Results.BadRequest(new { statusCode = "409", error = "Duplicate", message = "The resource already exists" });
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using (var file = File.Create(path)) await c.Request.Body.CopyToAsync(file);
            await File.WriteAllTextAsync(path + ".type", c.Request.ContentType ?? "application/octet-stream");
            return Results.Json(new { Key = $"{bucket}/{key}", Id = Guid.NewGuid() });
        });
        app.MapMethods("/storage/v1/object/{bucket}/{**key}", ["GET", "HEAD"], (string bucket, string key) =>
        {
            var path = PathOf(bucket, key);
            return File.Exists(path)
                ? Results.File(path, File.ReadAllText(path + ".type"), enableRangeProcessing: true)
                : Results.NotFound(new { statusCode = "404", error = "not_found", message = "Object not found" });
        });
        app.MapDelete("/storage/v1/object/{bucket}", async (string bucket, HttpContext c) =>
        {
            var body = await JsonNode.ParseAsync(c.Request.Body);
            var deleted = new JsonArray();
            foreach (var p in body?["prefixes"]?.AsArray() ?? [])
            {
                var key = p!.GetValue<string>();
                var path = PathOf(bucket, key);
                if (!File.Exists(path)) continue;
                File.Delete(path);
                File.Delete(path + ".type");
                deleted.Add(new JsonObject { ["name"] = key });
            }
            return Results.Content(deleted.ToJsonString(), "application/json");
        });
    }

    /// <summary>Ages an object, as if it had been stored <paramref name="age"/> ago.</summary>
    public void Age(string bucket, string key, TimeSpan age) => File.SetLastWriteTimeUtc(PathOf(bucket, key), DateTime.UtcNow - age);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
