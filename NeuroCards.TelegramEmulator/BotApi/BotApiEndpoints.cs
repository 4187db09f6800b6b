using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NeuroCards.TelegramEmulator.Rules;
using NeuroCards.TelegramEmulator.State;

namespace NeuroCards.TelegramEmulator.BotApi;

public static class BotApiEndpoints
{
    /// <summary>/bot&lt;token&gt;/&lt;method&gt; with Telegram's envelope, and file downloads at /file/bot&lt;token&gt;/&lt;path&gt;.</summary>
    public static IEndpointRouteBuilder MapBotApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/bot{token}/{method}", ["GET", "POST"], async (string token, string method, HttpContext http, EmulatorState state, BotMethods methods) =>
        {
            var bot = state.Bot(token);
            try
            {
                if (await InjectFaultAsync(bot, method, http)) return Results.Empty;
                if (!methods.All.TryGetValue(method, out var handler))
                {
                    return Results.Json(new JsonObject { ["ok"] = false, ["error_code"] = 404, ["description"] = "Not Found" }, statusCode: 404);
                }
                var request = await ApiRequest.ReadAsync(http.Request, http.RequestAborted);
                var result = await handler(bot, request, http);
                return Results.Json(new JsonObject { ["ok"] = true, ["result"] = result });
            }
            catch (BotApiException e)
            {
                var body = new JsonObject { ["ok"] = false, ["error_code"] = e.ErrorCode, ["description"] = e.Message };
                if (e.RetryAfter is { } retry) body["parameters"] = new JsonObject { ["retry_after"] = retry };
                return Results.Json(body, statusCode: e.ErrorCode);
            }
        }).DisableAntiforgery();

        app.MapGet("/file/bot{token}/files/{fileId}", (string token, string fileId, EmulatorState state) =>
        {
            var bot = state.Bot(token);
            FileEntry? file;
            lock (bot.Lock) bot.Files.TryGetValue(fileId, out file);
            return file is null ? Results.NotFound() : Results.File(file.Path, file.MimeType ?? "application/octet-stream", enableRangeProcessing: true);
        });
        return app;
    }

    /// <summary>Returns true when the fault answered the call (or dropped it).</summary>
    private static async Task<bool> InjectFaultAsync(BotState bot, string method, HttpContext http)
    {
        Fault? fault;
        lock (bot.Lock)
        {
            if (!bot.Faults.TryGetValue(method, out fault) || fault.Remaining <= 0) return false;
            fault.Remaining--;
        }
        switch (fault.Kind)
        {
            case "429":
                throw new BotApiException(429, $"Too Many Requests: retry after {fault.RetryAfter}", fault.RetryAfter);
            case "500":
                throw new BotApiException(500, "Internal Server Error");
            case "502":
                throw new BotApiException(502, "Bad Gateway");
            case "slow":
                await Task.Delay(fault.DelayMs, http.RequestAborted);
                return false;
            case "drop":
                http.Abort();
                return true;
            default:
                return false;
        }
    }
}
