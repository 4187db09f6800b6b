using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;

namespace NeuroCards.Tests.Fakes;

/// <summary>
/// Speaks KIE's protocol on loopback: createTask / recordInfo (market models), veo generate /
/// record-info, callbacks to callBackUrl, result files. What happens to each created task follows
/// the next script queued (or the default), so tests can play every failure KIE has.
/// </summary>
public sealed class KieFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<KieScript> _scripts = new();
    private readonly HttpClient _callbacks = new();

    public ConcurrentDictionary<string, FakeTask> Tasks { get; } = new();

    /// <summary>What each image task returns (the image it was given).</summary>
    public ConcurrentDictionary<string, byte[]> ImageResults { get; } = new();
    public ConcurrentQueue<(string Method, string Path, string Key, JsonObject? Body)> Requests { get; } = new();
    public HashSet<string> ValidKeys { get; } = ["key-a", "key-b"];
    public KieScript Default { get; set; } = new();

    /// <summary>A script chosen by the create request (its prompt, say); null falls back to the queue and the default.</summary>
    public Func<JsonObject, KieScript?>? ScriptFor { get; set; }
    public string? WebhookHmacKey { get; set; }

    /// <summary>Credits each key's account has left (GET /api/v1/chat/credit); every created task takes its model's price.</summary>
    public ConcurrentDictionary<string, decimal> Balances { get; } = new() { ["key-a"] = 10_000_000, ["key-b"] = 10_000_000 };

    /// <summary>Models KIE answers createTask for no longer, and how (KIE does not document it: a 422 naming the model by default).</summary>
    public ConcurrentDictionary<string, (int Code, string Msg)> Refused { get; } = new();
    public required string ResultFile { get; set; }

    public string Url => _app.Urls.First();

    private KieFake(WebApplication app) => _app = app;

    public static async Task<KieFake> StartAsync(string resultFile, string address = "127.0.0.1")
    {
        var builder = LoopbackApp.CreateBuilder(address);
        var app = builder.Build();
        var fake = new KieFake(app) { ResultFile = resultFile };
        fake.Map(app);
        await app.StartAsync();
        return fake;
    }

    public void Enqueue(params KieScript[] scripts)
    {
        foreach (var s in scripts) _scripts.Enqueue(s);
    }

    public int CreateCalls => Requests.Count(r => r.Path.EndsWith("createTask") || r.Path.EndsWith("generate"));

    public sealed class FakeTask(string id, string key, KieScript script, JsonObject body)
    {
        public string Id { get; } = id;
        public string Key { get; } = key;
        public KieScript Script { get; } = script;
        public JsonObject Body { get; } = body;
        public DateTime CreatedAt { get; } = DateTime.UtcNow;
        public int Polls { get; set; }
        /// <summary>When the first callback went out (the latency benchmark measures from here).</summary>
        public DateTime? CallbackSentAt { get; set; }
        public bool Done => DateTime.UtcNow - CreatedAt >= TimeSpan.FromMilliseconds(Script.RenderMs) && Polls >= Script.PollsBeforeDone;
    }

    private static IResult Envelope(int code, string msg, JsonNode? data = null) =>
        Results.Json(new JsonObject { ["code"] = code, ["msg"] = msg, ["data"] = data });

    private void Map(WebApplication app)
    {
        app.MapPost("/api/v1/jobs/createTask", (Delegate)((HttpContext c) => CreateAsync(c, veo: false)));
        app.MapPost("/api/v1/veo/generate", (Delegate)((HttpContext c) => CreateAsync(c, veo: true)));
        app.MapGet("/api/v1/jobs/recordInfo", (HttpContext c, string taskId) => Status(c, taskId, veo: false));
        app.MapGet("/api/v1/veo/record-info", (HttpContext c, string taskId) => Status(c, taskId, veo: true));
        app.MapGet("/api/v1/chat/credit", (HttpContext c) =>
        {
            var key = KeyOf(c);
            Requests.Enqueue(("GET", c.Request.Path, key, null));
            return ValidKeys.Contains(key) ? Envelope(200, "success", JsonValue.Create(Balances.GetValueOrDefault(key))) : Envelope(401, "You do not have access permissions");
        });
        app.MapGet("/results/{taskId}.jpg", (string taskId) =>
            ImageResults.TryGetValue(taskId, out var image) ? Results.File(image, "image/jpeg") : Results.NotFound());
        app.MapGet("/results/{taskId}.mp4", async (HttpContext c, string taskId) =>
        {
            if (!Tasks.TryGetValue(taskId, out var task)) return Results.NotFound();
            if (!task.Script.StallResult) return Results.File(task.Script.ResultFile ?? ResultFile, "video/mp4");
            // A CDN that sends the headers and a first chunk, then nothing: only the client's own limit ends it.
            c.Response.ContentType = "video/mp4";
            c.Response.ContentLength = 10_000_000;
            await c.Response.Body.WriteAsync(new byte[4096], c.RequestAborted);
            await c.Response.Body.FlushAsync(c.RequestAborted);
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { });
            return Results.Empty;
        });
    }

    private static string KeyOf(HttpContext c) => c.Request.Headers.Authorization.ToString().Replace("Bearer ", "");

    private async Task<IResult> CreateAsync(HttpContext c, bool veo)
    {
        var key = KeyOf(c);
        var body = (await JsonNode.ParseAsync(c.Request.Body))!.AsObject();
        Requests.Enqueue(("POST", c.Request.Path, key, body));
        if (!ValidKeys.Contains(key)) return Envelope(401, "You do not have access permissions");
        var model = body["model"]?.GetValue<string>() ?? "";
        if (Refused.TryGetValue(model, out var refusal)) return Envelope(refusal.Code, refusal.Msg);
        if (KieModels.Validate(model, body, veo) is { } invalid) return Envelope(422, invalid);
        if (Balances.GetValueOrDefault(key) < KieModels.PriceOf(model)) return Envelope(402, "Credits insufficient");
        var script = ScriptFor?.Invoke(body) ?? (_scripts.TryDequeue(out var s) ? s : Default);
        if (script.CreateDelayMs > 0) await Task.Delay(script.CreateDelayMs);
        if (script.CreateCodeForKey?.TryGetValue(key, out var keyCode) == true) return Envelope(keyCode, "key-specific failure");
        if (script.CreateHttpStatus is { } http) return Results.StatusCode(http);
        if (script.CreateCode != 200) return Envelope(script.CreateCode, script.CreateMsg);

        var imageUrl = veo ? body["imageUrls"]?[0]?.GetValue<string>()
            : body["input"]?["first_frame_url"]?.GetValue<string>() ?? body["input"]?["image_urls"]?[0]?.GetValue<string>();
        byte[]? fetched = null;
        if (script.FetchImage && imageUrl is not null)
        {
            using var probe = new HttpClient();
            try
            {
                using var image = await probe.GetAsync(imageUrl);
                if (!image.IsSuccessStatusCode) return Envelope(422, "image fetch failed");
                fetched = await image.Content.ReadAsByteArrayAsync();
            }
            catch (HttpRequestException)
            {
                // As KIE answers when the photo's host does not answer at all.
                return Envelope(422, "image fetch failed");
            }
        }
        var id = "task_" + Guid.NewGuid().ToString("N")[..12];
        var task = new FakeTask(id, key, script, body);
        Tasks[id] = task;
        // An image model's result: the photo it was given, as an edit that kept the product would.
        if (KieModels.IsImage(model)) ImageResults[id] = fetched ?? [];
        Balances.AddOrUpdate(key, 0, (_, left) => left - KieModels.PriceOf(model));
        var callback = body["callBackUrl"]?.GetValue<string>();
        if (callback is not null && script.Callbacks > 0) _ = CallBackAsync(task, callback, veo);
        return Envelope(200, "success", new JsonObject { ["taskId"] = id });
    }

    private IResult Status(HttpContext c, string taskId, bool veo)
    {
        var key = KeyOf(c);
        Requests.Enqueue(("GET", c.Request.Path, key, null));
        if (!Tasks.TryGetValue(taskId, out var task)) return Envelope(404, "task not found");
        if (task.Key != key) return Envelope(401, "task belongs to another key");
        task.Polls++;
        if (task.Script.MalformedStatus) return Results.Text("<html>502 Bad Gateway</html>", "text/html");
        return Results.Json(veo ? VeoRecord(task) : MarketRecord(task));
    }

    private JsonObject MarketRecord(FakeTask task)
    {
        var s = task.Script;
        var state = !task.Done ? (task.Polls <= 1 ? "waiting" : "generating") : s.Outcome == "success" ? "success" : "fail";
        return new JsonObject
        {
            // As KIE does: the envelope says success even when the task failed.
            ["code"] = 200,
            ["msg"] = "success",
            ["data"] = new JsonObject
            {
                ["taskId"] = task.Id,
                ["model"] = task.Body["model"]?.GetValue<string>(),
                ["state"] = state,
                ["param"] = task.Body.ToJsonString(),
                ["resultJson"] = state == "success" ? new JsonObject { ["resultUrls"] = new JsonArray($"{Url}/results/{task.Id}.{(ImageResults.ContainsKey(task.Id) ? "jpg" : "mp4")}") }.ToJsonString() : "",
                ["failCode"] = state == "fail" ? s.FailCode : "",
                ["failMsg"] = state == "fail" ? s.FailMsg : "",
                ["costTime"] = 15000,
                ["createTime"] = 1698765400000,
                ["updateTime"] = 1698765432000,
                ["completeTime"] = null,
            },
        };
    }

    private JsonObject VeoRecord(FakeTask task)
    {
        var s = task.Script;
        var flag = !task.Done ? 0 : s.Outcome == "success" ? 1 : 2;
        var data = new JsonObject { ["taskId"] = task.Id, ["successFlag"] = flag };
        if (flag == 1) data["response"] = new JsonObject { ["resultUrls"] = new JsonArray($"{Url}/results/{task.Id}.mp4") };
        if (flag == 2) data["errorMessage"] = s.FailMsg;
        return new JsonObject { ["code"] = 200, ["msg"] = "success", ["data"] = data };
    }

    private async Task CallBackAsync(FakeTask task, string url, bool veo)
    {
        await Task.Delay(task.Script.RenderMs + 50);
        while (!task.Done)
        {
            task.Polls = Math.Max(task.Polls, task.Script.PollsBeforeDone);
            await Task.Delay(20);
        }
        for (var i = 0; i < task.Script.Callbacks; i++)
        {
            var body = veo ? VeoRecord(task) : MarketRecord(task);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = System.Net.Http.Json.JsonContent.Create(body) };
            if (WebhookHmacKey is not null)
            {
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                request.Headers.Add("X-Webhook-Timestamp", timestamp.ToString());
                request.Headers.Add("X-Webhook-Signature", KieCallbackVerifier.Sign(task.Id, timestamp, WebhookHmacKey));
            }
            task.CallbackSentAt ??= DateTime.UtcNow;
            try
            {
                using var _ = await _callbacks.SendAsync(request);
            }
            catch (HttpRequestException)
            {
                // Callbacks get lost; the worker polls.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _callbacks.Dispose();
        await _app.DisposeAsync();
    }
}
