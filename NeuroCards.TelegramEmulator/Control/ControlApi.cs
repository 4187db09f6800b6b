using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NeuroCards.TelegramEmulator.Rules;
using NeuroCards.TelegramEmulator.State;

namespace NeuroCards.TelegramEmulator.Control;

/// <summary>/_emulator/… : act as any user of a bot, read chats, inject faults. JSON in and out.</summary>
public static class ControlApi
{
    public sealed record UserRequest(long Id, string? FirstName, string? Username, string? LanguageCode);
    public sealed record TextRequest(string Text, long? ChatId);
    public sealed record FileRequest(string Base64, string? FileName, string? MimeType, string? Caption);
    public sealed record PressRequest(int MessageId, string Data);
    public sealed record EditRequest(int MessageId, string Text);
    public sealed record FaultRequest(string Method, string Kind, int Count = 1, int RetryAfter = 1, int DelayMs = 0);

    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/_emulator/bots/{token}");

        api.MapGet("/users", (string token, EmulatorState state) =>
        {
            var bot = state.Bot(token);
            lock (bot.Lock) return Results.Json(bot.Users.Values.Select(u => new { u.Id, u.FirstName, u.Username, u.LanguageCode }).ToList());
        });
        api.MapPost("/users", (string token, UserRequest user, EmulatorState state, UserActions actions) =>
        {
            var id = user.Id != 0 ? user.Id : Random.Shared.NextInt64(100_000_000, 999_999_999);
            var created = actions.EnsureUser(state.Bot(token), id, user.FirstName ?? "User", user.Username, user.LanguageCode);
            return Results.Json(new { created.Id, created.FirstName, created.Username, created.LanguageCode });
        });
        api.MapPost("/groups/{chatId:long}", (string token, long chatId, EmulatorState state, UserActions actions) =>
        {
            actions.EnsureGroup(state.Bot(token), chatId, "Test group");
            return Results.Json(new { ok = true });
        });
        api.MapPost("/users/{userId:long}/text", (string token, long userId, TextRequest request, EmulatorState state, UserActions actions) =>
            Run(() => actions.SendText(state.Bot(token), userId, request.Text, request.ChatId)));
        api.MapPost("/users/{userId:long}/photo", async (string token, long userId, FileRequest request, EmulatorState state, UserActions actions, CancellationToken ct) =>
            await RunAsync(() => actions.SendPhotoAsync(state.Bot(token), userId, new MemoryStream(Convert.FromBase64String(request.Base64)), request.Caption, ct)));
        api.MapPost("/users/{userId:long}/document", async (string token, long userId, FileRequest request, EmulatorState state, UserActions actions, CancellationToken ct) =>
            await RunAsync(() => actions.SendDocumentAsync(state.Bot(token), userId, new MemoryStream(Convert.FromBase64String(request.Base64)),
                request.FileName ?? "file", request.MimeType ?? "application/octet-stream", ct)));
        api.MapPost("/users/{userId:long}/video", async (string token, long userId, FileRequest request, EmulatorState state, UserActions actions, CancellationToken ct) =>
            await RunAsync(() => actions.SendVideoAsync(state.Bot(token), userId, new MemoryStream(Convert.FromBase64String(request.Base64)), ct)));
        api.MapPost("/users/{userId:long}/sticker", (string token, long userId, EmulatorState state, UserActions actions) =>
            Run(() => actions.SendSticker(state.Bot(token), userId)));
        api.MapPost("/users/{userId:long}/voice", (string token, long userId, EmulatorState state, UserActions actions) =>
            Run(() => actions.SendVoice(state.Bot(token), userId)));
        api.MapPost("/users/{userId:long}/edit", (string token, long userId, EditRequest request, EmulatorState state, UserActions actions) =>
            Run(() => actions.EditText(state.Bot(token), userId, request.MessageId, request.Text)));
        api.MapPost("/users/{userId:long}/press", (string token, long userId, PressRequest request, EmulatorState state, UserActions actions) =>
            Run(() => new JsonObject { ["callback_query_id"] = actions.Press(state.Bot(token), userId, request.MessageId, request.Data) }));
        api.MapGet("/callbacks/{id}", (string token, string id, EmulatorState state, UserActions actions) =>
            Results.Json(new { answered = actions.CallbackAnswered(state.Bot(token), id), text = actions.CallbackAnswerText(state.Bot(token), id) }));
        api.MapPost("/users/{userId:long}/pay/{messageId:int}", async (string token, long userId, int messageId, bool? loseUpdate, EmulatorState state,
            UserActions actions, CancellationToken ct) =>
        {
            var (charge, error) = await actions.PayAsync(state.Bot(token), userId, messageId, ct, loseUpdate ?? false);
            return Results.Json(new { charge_id = charge, error });
        });
        // Mini Apps: the web chat opens a web_app button at the address Telegram would, pays openInvoice's links and sends shareMessage's messages.
        api.MapGet("/users/{userId:long}/webapp", (string token, long userId, string url, EmulatorState state, UserActions actions) =>
            Run(() => new JsonObject { ["url"] = actions.LaunchUrl(state.Bot(token), userId, WebApps.WebAppUrl.Check(url, "Mini App")) }));
        api.MapGet("/menu-button/{chatId:long}", (string token, long chatId, EmulatorState state) =>
        {
            var bot = state.Bot(token);
            lock (bot.Lock) return Results.Json(BotApi.BotMethods.MenuButton(bot, chatId).DeepClone());
        });
        api.MapGet("/invoice-links/{slug}", (string token, string slug, EmulatorState state) =>
        {
            var bot = state.Bot(token);
            lock (bot.Lock) return bot.InvoiceLinks.TryGetValue(slug, out var link) ? Results.Json(link) : Results.NotFound();
        });
        api.MapPost("/users/{userId:long}/invoice-links/{slug}/pay", async (string token, long userId, string slug, EmulatorState state,
            UserActions actions, CancellationToken ct) =>
            await RunAsync(async () =>
            {
                var (charge, error) = await actions.PayLinkAsync(state.Bot(token), userId, slug, ct);
                return new JsonObject { ["charge_id"] = charge, ["error"] = error };
            }));
        api.MapPost("/users/{userId:long}/prepared/{id}/send", (string token, long userId, string id, EmulatorState state, UserActions actions) =>
            Run(() => actions.SendPrepared(state.Bot(token), userId, id)));
        api.MapPost("/users/{userId:long}/block", (string token, long userId, EmulatorState state, UserActions actions) =>
        {
            actions.Block(state.Bot(token), userId, true);
            return Results.Json(new { ok = true });
        });
        api.MapPost("/faults", (string token, FaultRequest fault, EmulatorState state) =>
        {
            var bot = state.Bot(token);
            lock (bot.Lock) bot.Faults[fault.Method] = new Fault(fault.Kind, fault.Count, fault.RetryAfter, fault.DelayMs);
            return Results.Ok();
        });
        api.MapGet("/chats/{chatId:long}", async (string token, long chatId, long? after, int? wait, EmulatorState state, CancellationToken ct) =>
        {
            var bot = state.Bot(token);
            var deadline = DateTime.UtcNow.AddSeconds(Math.Clamp(wait ?? 0, 0, 60));
            while (true)
            {
                Task changed;
                lock (bot.Lock)
                {
                    if (after is null || bot.Version > after || DateTime.UtcNow >= deadline) return Results.Json(Transcript(bot, chatId));
                    changed = bot.Changed;
                }
                // The deadline may pass between the check above and here: a negative wait would throw (a 500).
                var left = deadline - DateTime.UtcNow;
                if (left > TimeSpan.Zero) await Task.WhenAny(changed, Task.Delay(left, ct));
                ct.ThrowIfCancellationRequested();
            }
        });
        api.MapGet("/commands", (string token, EmulatorState state) =>
        {
            var bot = state.Bot(token);
            lock (bot.Lock) return Results.Json(bot.Commands.ToDictionary(c => c.Key, c => c.Value.DeepClone()));
        });
        api.MapGet("/webhook", (string token, EmulatorState state) =>
        {
            var bot = state.Bot(token);
            lock (bot.Lock) return Results.Json(new { url = bot.WebhookUrl, pending = bot.PendingUpdates.Count, last_error = bot.LastWebhookError });
        });
        return app;
    }

    /// <summary>With the lock held: the chat as the user sees it, edits and deletions applied.</summary>
    private static JsonObject Transcript(BotState bot, long chatId)
    {
        lock (bot.Lock)
        {
            var messages = new JsonArray();
            if (bot.Chats.TryGetValue(chatId, out var chat))
            {
                foreach (var m in chat.Messages)
                {
                    var json = (JsonObject)m.Json.DeepClone();
                    json["x_from_bot"] = m.FromBot;
                    json["x_version"] = m.Version;
                    json["x_at_ms"] = m.ArrivedAtMs;
                    json["x_deleted"] = m.Deleted;
                    if (m.Html is not null) json["x_html"] = m.Html;
                    if (m.CaptionHtml is not null) json["x_caption_html"] = m.CaptionHtml;
                    messages.Add(json);
                }
            }
            return new JsonObject { ["version"] = bot.Version, ["bot_username"] = bot.Username, ["messages"] = messages };
        }
    }

    private static IResult Run(Func<JsonObject> action)
    {
        try
        {
            return Results.Json(action());
        }
        catch (BotApiException e)
        {
            return Results.Json(new { error = e.Message }, statusCode: e.ErrorCode);
        }
    }

    private static async Task<IResult> RunAsync(Func<Task<JsonObject>> action)
    {
        try
        {
            return Results.Json(await action());
        }
        catch (BotApiException e)
        {
            return Results.Json(new { error = e.Message }, statusCode: e.ErrorCode);
        }
    }
}
