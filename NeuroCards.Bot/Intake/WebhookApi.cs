using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Telegram;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NeuroCards.Bot.Intake;

public static class WebhookApi
{
    public const string Path = "/telegram/webhook";

    /// <summary>
    /// Telegram__Mode=Webhook: Telegram POSTs updates here with its secret header (checked in constant
    /// time). The update is handled before answering, so a crash or a passing failure (answered 503) means Telegram
    /// sends it again, and the recorded update id makes that repeat harmless.
    /// </summary>
    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpContext http, UpdateProcessor processor, IOptions<TelegramOptions> options) =>
        {
            var o = options.Value;
            if (o.Mode != TelegramMode.Webhook) return Results.NotFound();
            var expected = Encoding.UTF8.GetBytes(o.WebhookSecret ?? "");
            var given = Encoding.UTF8.GetBytes(http.Request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString());
            if (expected.Length == 0 || !CryptographicOperations.FixedTimeEquals(expected, given)) return Results.Unauthorized();
            Update? update;
            try
            {
                update = await JsonSerializer.DeserializeAsync<Update>(http.Request.Body, JsonBotAPI.Options, http.RequestAborted);
            }
            catch (JsonException)
            {
                return Results.BadRequest();
            }
            // Not handled for a passing reason: a 5xx makes Telegram deliver it again later.
            if (update is not null && !await processor.ProcessAsync(update, http.RequestAborted)) return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            return Results.Ok();
        }).DisableAntiforgery();
        return app;
    }
}
