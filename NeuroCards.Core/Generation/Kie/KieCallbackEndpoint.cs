using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Queue;

namespace NeuroCards.Core.Generation.Kie;

public static class KieCallbackEndpoint
{
    /// <summary>
    /// POST /callbacks/kie?token=… : KIE reports a task's end. Authenticated by the unguessable
    /// per-task token (and KIE's HMAC signature when Kie:WebhookHmacKey is set). A callback is a hint:
    /// it is recorded and wakes the worker, which fetches the status itself; repeats change nothing.
    /// </summary>
    public static IEndpointRouteBuilder MapProviderCallbacks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/callbacks/kie", async (HttpContext http, string? token, JobQueue queue, IOptions<KieOptions> options,
            TimeProvider time, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger("NeuroCards.Callbacks");
            // The token first: a body is read only for a job waiting on a callback.
            if (string.IsNullOrEmpty(token) || token.Length > 128 || !await queue.ExpectsCallbackAsync(token, http.RequestAborted)) return Results.Unauthorized();
            var body = await RequestBodies.ReadJsonAsync(http);
            if (body is null) return Results.BadRequest();
            var data = body["data"];
            var taskId = RequestBodies.StringOf(data?["taskId"]) ?? RequestBodies.StringOf(data?["task_id"]);
            if (string.IsNullOrEmpty(taskId) || taskId.Length > 128) return Results.BadRequest();

            var secret = options.Value.WebhookHmacKey;
            if (!string.IsNullOrEmpty(secret) && !KieCallbackVerifier.Verify(taskId, http.Request.Headers["X-Webhook-Timestamp"],
                    http.Request.Headers["X-Webhook-Signature"], secret, time.GetUtcNow()))
            {
                logger.LogWarning("Refused a provider callback with a bad signature for task {TaskId}", taskId);
                return Results.Unauthorized();
            }

            var state = RequestBodies.StringOf(data?["state"])
                        ?? (RequestBodies.StringOf(data?["successFlag"]) is { } flag ? flag switch { "1" => "success", "0" => "generating", _ => "fail" } : null);
            var jobId = await queue.RecordCallbackAsync(token, taskId, state, http.RequestAborted);
            if (jobId is null)
            {
                // Unknown token, or a job already past this step (a repeated callback): nothing to do.
                return Results.Ok(new { received = false });
            }
            logger.LogInformation("Provider callback for job {JobId}: task {TaskId} is {State}", jobId, taskId, state);
            return Results.Ok(new { received = true });
        }).DisableAntiforgery();
        return app;
    }
}
