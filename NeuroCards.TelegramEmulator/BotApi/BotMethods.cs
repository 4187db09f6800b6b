using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NeuroCards.TelegramEmulator.Rules;
using NeuroCards.TelegramEmulator.State;

namespace NeuroCards.TelegramEmulator.BotApi;

/// <summary>The Bot API methods, each answering what Telegram answers (or failing as Telegram fails).</summary>
public sealed partial class BotMethods(EmulatorState state, WebhookPusher webhooks)
{
    public const int MaxText = 4096;
    public const int MaxCaption = 1024;

    public delegate Task<JsonNode?> Method(BotState bot, ApiRequest request, HttpContext http);

    public IReadOnlyDictionary<string, Method> All => new Dictionary<string, Method>(StringComparer.OrdinalIgnoreCase)
    {
        ["getMe"] = (bot, _, _) => Task.FromResult<JsonNode?>(BotUser(bot)),
        ["getUpdates"] = GetUpdatesAsync,
        ["setWebhook"] = SetWebhook,
        ["deleteWebhook"] = DeleteWebhook,
        ["getWebhookInfo"] = GetWebhookInfo,
        ["setMyCommands"] = SetMyCommands,
        ["getMyCommands"] = GetMyCommands,
        ["deleteMyCommands"] = DeleteMyCommands,
        ["sendMessage"] = SendMessage,
        ["editMessageText"] = EditMessageText,
        ["editMessageCaption"] = EditMessageCaption,
        ["editMessageReplyMarkup"] = EditMessageReplyMarkup,
        ["deleteMessage"] = DeleteMessage,
        ["answerCallbackQuery"] = AnswerCallbackQuery,
        ["sendChatAction"] = SendChatAction,
        ["sendPhoto"] = (bot, r, h) => SendMediaAsync(bot, r, h, "photo"),
        ["sendVideo"] = (bot, r, h) => SendMediaAsync(bot, r, h, "video"),
        ["sendDocument"] = (bot, r, h) => SendMediaAsync(bot, r, h, "document"),
        ["sendMediaGroup"] = SendMediaGroupAsync,
        ["copyMessage"] = CopyMessage,
        ["getFile"] = GetFile,
        ["sendInvoice"] = SendInvoice,
        ["answerPreCheckoutQuery"] = AnswerPreCheckoutQuery,
        ["refundStarPayment"] = RefundStarPayment,
        ["getStarTransactions"] = GetStarTransactions,
    };

    public static JsonObject BotUser(BotState bot) => new()
    {
        ["id"] = bot.BotId, ["is_bot"] = true, ["first_name"] = "NeuroCards", ["username"] = bot.Username,
        ["can_join_groups"] = false, ["can_read_all_group_messages"] = false, ["supports_inline_queries"] = false,
    };

    public static JsonObject UserJson(UserState user)
    {
        var json = new JsonObject { ["id"] = user.Id, ["is_bot"] = false, ["first_name"] = user.FirstName };
        if (user.Username is not null) json["username"] = user.Username;
        if (user.LanguageCode is not null) json["language_code"] = user.LanguageCode;
        return json;
    }

    public static JsonObject ChatJson(ChatState chat, BotState bot)
    {
        var json = new JsonObject { ["id"] = chat.Id, ["type"] = chat.Type };
        if (chat.Type == "private" && bot.Users.TryGetValue(chat.Id, out var user)) json["first_name"] = user.FirstName;
        else json["title"] = chat.Title ?? "Group";
        return json;
    }

    private async Task<JsonNode?> GetUpdatesAsync(BotState bot, ApiRequest request, HttpContext http)
    {
        var offset = request.Long("offset") ?? 0;
        var timeout = Math.Clamp(request.Int("timeout") ?? 0, 0, 50);
        var allowed = request.Json("allowed_updates") as JsonArray;
        lock (bot.Lock)
        {
            if (bot.WebhookUrl is not null)
                throw new BotApiException(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            if (bot.PollerActive)
                throw new BotApiException(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
            bot.PollerActive = true;
        }
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(timeout);
            while (true)
            {
                Task arrived;
                lock (bot.Lock)
                {
                    // Confirming an offset forgets everything before it, as Telegram does.
                    if (offset != 0) bot.PendingUpdates.RemoveAll(u => u["update_id"]!.GetValue<long>() < offset);
                    var ready = bot.PendingUpdates
                        .Where(u => allowed is null || allowed.Count == 0 || u.Select(p => p.Key).Any(k => allowed.Any(a => a!.GetValue<string>() == k)))
                        .Take(Math.Clamp(request.Int("limit") ?? 100, 1, 100))
                        .Select(u => u.DeepClone())
                        .ToList();
                    if (ready.Count > 0 || DateTime.UtcNow >= deadline) return new JsonArray([.. ready]);
                    arrived = bot.UpdatesArrived;
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) return new JsonArray();
                await Task.WhenAny(arrived, Task.Delay(left, http.RequestAborted));
                http.RequestAborted.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            lock (bot.Lock) bot.PollerActive = false;
        }
    }

    private Task<JsonNode?> SetWebhook(BotState bot, ApiRequest request, HttpContext http)
    {
        var url = request.RequiredString("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out _)) throw new BotApiException(400, "Bad Request: bad webhook: Failed to resolve host");
        lock (bot.Lock)
        {
            bot.WebhookUrl = url;
            bot.WebhookSecret = request.String("secret_token");
            if (request.Bool("drop_pending_updates")) bot.PendingUpdates.Clear();
        }
        webhooks.Wake(bot);
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }

    private Task<JsonNode?> DeleteWebhook(BotState bot, ApiRequest request, HttpContext http)
    {
        lock (bot.Lock)
        {
            bot.WebhookUrl = null;
            bot.WebhookSecret = null;
            if (request.Bool("drop_pending_updates")) bot.PendingUpdates.Clear();
        }
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }

    private Task<JsonNode?> GetWebhookInfo(BotState bot, ApiRequest request, HttpContext http)
    {
        lock (bot.Lock)
        {
            var info = new JsonObject
            {
                ["url"] = bot.WebhookUrl ?? "", ["has_custom_certificate"] = false, ["pending_update_count"] = bot.PendingUpdates.Count,
            };
            if (bot.LastWebhookError is not null)
            {
                info["last_error_date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                info["last_error_message"] = bot.LastWebhookError;
            }
            return Task.FromResult<JsonNode?>(info);
        }
    }

    private static string CommandsKey(ApiRequest request) =>
        (request.Json("scope")?["type"]?.GetValue<string>() ?? "default") + "/" + (request.String("language_code") ?? "");

    private Task<JsonNode?> SetMyCommands(BotState bot, ApiRequest request, HttpContext http)
    {
        var commands = request.Json("commands") as JsonArray ?? throw new BotApiException(400, "Bad Request: parameter \"commands\" is required");
        foreach (var c in commands)
        {
            var name = c?["command"]?.GetValue<string>() ?? "";
            if (name.Length is < 1 or > 32 || name.Any(ch => !(char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '_')))
                throw new BotApiException(400, "Bad Request: BOT_COMMAND_INVALID");
            if ((c?["description"]?.GetValue<string>() ?? "").Length is < 1 or > 256) throw new BotApiException(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
        }
        lock (bot.Lock) bot.Commands[CommandsKey(request)] = (JsonArray)commands.DeepClone();
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }

    private Task<JsonNode?> GetMyCommands(BotState bot, ApiRequest request, HttpContext http)
    {
        lock (bot.Lock)
        {
            return Task.FromResult<JsonNode?>(bot.Commands.TryGetValue(CommandsKey(request), out var c) ? c.DeepClone() : new JsonArray());
        }
    }

    private Task<JsonNode?> DeleteMyCommands(BotState bot, ApiRequest request, HttpContext http)
    {
        lock (bot.Lock) bot.Commands.Remove(CommandsKey(request));
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }

    private static (string Text, JsonArray Entities) FormatText(ApiRequest request, string field, int max)
    {
        var raw = request.String(field) ?? "";
        string text;
        JsonArray entities;
        if (string.Equals(request.String("parse_mode"), "HTML", StringComparison.OrdinalIgnoreCase))
        {
            var parsed = TelegramHtml.Parse(raw);
            (text, entities) = (parsed.Text, parsed.Entities);
        }
        else
        {
            (text, entities) = (raw, request.Json(field == "text" ? "entities" : "caption_entities") as JsonArray ?? []);
        }
        if (text.Length > max)
        {
            throw new BotApiException(400, field == "text" ? "Bad Request: message is too long" : "Bad Request: message caption is too long");
        }
        return (text, entities);
    }

    private static JsonObject? ReplyMarkup(ApiRequest request)
    {
        if (request.Json("reply_markup") is not JsonObject markup) return null;
        if (markup["inline_keyboard"] is JsonArray rows)
        {
            foreach (var button in rows.SelectMany(r => r as JsonArray ?? []))
            {
                if (string.IsNullOrEmpty(button?["text"]?.GetValue<string>())) throw new BotApiException(400, "Bad Request: text buttons are unallowed in the inline keyboard");
                var data = button!["callback_data"]?.GetValue<string>();
                if (data is not null && (data.Length == 0 || Encoding.UTF8.GetByteCount(data) > 64)) throw new BotApiException(400, "Bad Request: BUTTON_DATA_INVALID");
                var url = button["url"]?.GetValue<string>();
                if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _)) throw new BotApiException(400, "Bad Request: BUTTON_URL_INVALID");
                if (data is null && url is null && button["pay"] is null && button["web_app"] is null)
                    throw new BotApiException(400, "Bad Request: can't parse inline keyboard button: Field \"callback_data\" or \"url\" must be specified");
            }
        }
        return (JsonObject)markup.DeepClone();
    }

    /// <summary>With the lock held: the chat the bot may write to, or Telegram's error.</summary>
    private static ChatState WritableChat(BotState bot, long chatId)
    {
        if (!bot.Chats.TryGetValue(chatId, out var chat)) throw new BotApiException(400, "Bad Request: chat not found");
        if (chat.Type == "private" && bot.Users.TryGetValue(chatId, out var user) && user.BlockedBot)
            throw new BotApiException(403, "Forbidden: bot was blocked by the user");
        return chat;
    }

    /// <summary>With the lock held.</summary>
    public static StoredMessage AddBotMessage(BotState bot, ChatState chat, JsonObject content, string? html = null, string? captionHtml = null)
    {
        var id = chat.NextMessageId++;
        content["message_id"] = id;
        content["from"] = BotUser(bot);
        content["chat"] = ChatJson(chat, bot);
        content["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var message = new StoredMessage(id, content, fromBot: true) { Html = html, CaptionHtml = captionHtml };
        chat.Messages.Add(message);
        message.Version = bot.Touch();
        return message;
    }

    private Task<JsonNode?> SendMessage(BotState bot, ApiRequest request, HttpContext http)
    {
        var (text, entities) = FormatText(request, "text", MaxText);
        if (text.Trim().Length == 0) throw new BotApiException(400, "Bad Request: message text is empty");
        var markup = ReplyMarkup(request);
        lock (bot.Lock)
        {
            var chat = WritableChat(bot, request.ChatId());
            var content = new JsonObject { ["text"] = text };
            if (entities.Count > 0) content["entities"] = entities;
            if (markup is not null) content["reply_markup"] = markup;
            if (request.Json("link_preview_options") is JsonObject preview) content["link_preview_options"] = preview.DeepClone();
            return Task.FromResult<JsonNode?>(AddBotMessage(bot, chat, content, request.String("text")).Json.DeepClone());
        }
    }

    private static StoredMessage EditableMessage(BotState bot, ApiRequest request)
    {
        var chat = WritableChat(bot, request.ChatId());
        var id = request.Int("message_id") ?? throw new BotApiException(400, "Bad Request: message identifier is not specified");
        var message = chat.Messages.FirstOrDefault(m => m.MessageId == id && !m.Deleted)
                      ?? throw new BotApiException(400, "Bad Request: message to edit not found");
        if (!message.FromBot) throw new BotApiException(400, "Bad Request: message can't be edited");
        return message;
    }

    private static void Edited(BotState bot, StoredMessage message, JsonObject updated)
    {
        var before = message.Json.DeepClone();
        before.AsObject().Remove("edit_date");
        var after = updated.DeepClone();
        after.AsObject().Remove("edit_date");
        if (JsonNode.DeepEquals(before, after))
        {
            throw new BotApiException(400,
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
        }
        updated["edit_date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        message.Json = updated;
        message.Version = bot.Touch();
    }

    private Task<JsonNode?> EditMessageText(BotState bot, ApiRequest request, HttpContext http)
    {
        var (text, entities) = FormatText(request, "text", MaxText);
        if (text.Trim().Length == 0) throw new BotApiException(400, "Bad Request: message text is empty");
        var markup = ReplyMarkup(request);
        lock (bot.Lock)
        {
            var message = EditableMessage(bot, request);
            if (message.Json["text"] is null) throw new BotApiException(400, "Bad Request: there is no text in the message to edit");
            var updated = (JsonObject)message.Json.DeepClone();
            updated["text"] = text;
            if (entities.Count > 0) updated["entities"] = entities; else updated.Remove("entities");
            if (markup is not null) updated["reply_markup"] = markup; else updated.Remove("reply_markup");
            Edited(bot, message, updated);
            message.Html = request.String("text");
            return Task.FromResult<JsonNode?>(message.Json.DeepClone());
        }
    }

    private Task<JsonNode?> EditMessageCaption(BotState bot, ApiRequest request, HttpContext http)
    {
        var (caption, entities) = FormatText(request, "caption", MaxCaption);
        var markup = ReplyMarkup(request);
        lock (bot.Lock)
        {
            var message = EditableMessage(bot, request);
            var updated = (JsonObject)message.Json.DeepClone();
            updated["caption"] = caption;
            if (entities.Count > 0) updated["caption_entities"] = entities; else updated.Remove("caption_entities");
            if (markup is not null) updated["reply_markup"] = markup; else updated.Remove("reply_markup");
            Edited(bot, message, updated);
            message.CaptionHtml = request.String("caption");
            return Task.FromResult<JsonNode?>(message.Json.DeepClone());
        }
    }

    private Task<JsonNode?> EditMessageReplyMarkup(BotState bot, ApiRequest request, HttpContext http)
    {
        var markup = ReplyMarkup(request);
        lock (bot.Lock)
        {
            var message = EditableMessage(bot, request);
            var updated = (JsonObject)message.Json.DeepClone();
            if (markup is not null && markup["inline_keyboard"] is JsonArray { Count: > 0 }) updated["reply_markup"] = markup; else updated.Remove("reply_markup");
            Edited(bot, message, updated);
            return Task.FromResult<JsonNode?>(message.Json.DeepClone());
        }
    }

    private Task<JsonNode?> DeleteMessage(BotState bot, ApiRequest request, HttpContext http)
    {
        lock (bot.Lock)
        {
            var chat = WritableChat(bot, request.ChatId());
            var id = request.Int("message_id");
            var message = chat.Messages.FirstOrDefault(m => m.MessageId == id && !m.Deleted)
                          ?? throw new BotApiException(400, "Bad Request: message to delete not found");
            message.Deleted = true;
            message.Version = bot.Touch();
            return Task.FromResult<JsonNode?>(JsonValue.Create(true));
        }
    }

    private Task<JsonNode?> AnswerCallbackQuery(BotState bot, ApiRequest request, HttpContext http)
    {
        var id = request.RequiredString("callback_query_id");
        lock (bot.Lock)
        {
            if (!bot.CallbackAnswered.TryGetValue(id, out var answered)) throw new BotApiException(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
            if (answered) throw new BotApiException(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
            bot.CallbackAnswered[id] = true;
            // The notice (or alert) the user sees on top of the chat.
            if (request.String("text") is { Length: > 0 } text) bot.CallbackAnswerTexts[id] = text;
            bot.Touch();
        }
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }

    private Task<JsonNode?> SendChatAction(BotState bot, ApiRequest request, HttpContext http)
    {
        lock (bot.Lock) WritableChat(bot, request.ChatId());
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }

    /// <summary>An input file: uploaded in this request (by field or attach://name), or an earlier file_id.</summary>
    private async Task<FileEntry> InputFileAsync(BotState bot, ApiRequest request, string field, string? value, string kind, CancellationToken cancellationToken)
    {
        var upload = value is not null && value.StartsWith("attach://", StringComparison.Ordinal)
            ? request.Files?.GetFile(value["attach://".Length..])
            : request.Files?.GetFile(field);
        if (upload is not null)
        {
            if (upload.Length > state.Options.UploadLimitBytes) throw new BotApiException(413, "Request Entity Too Large");
            await using var stream = upload.OpenReadStream();
            return await state.SaveFileAsync(bot, stream, kind, upload.ContentType, upload.FileName, state.Options.UploadLimitBytes, cancellationToken);
        }
        if (string.IsNullOrEmpty(value)) throw new BotApiException(400, $"Bad Request: there is no {field} in the request");
        lock (bot.Lock)
        {
            return bot.Files.TryGetValue(value, out var known) ? known : throw new BotApiException(400, "Bad Request: wrong file identifier/HTTP URL specified");
        }
    }

    private static JsonNode MediaJson(string kind, FileEntry file, ApiRequest request, FileEntry? thumbnail)
    {
        switch (kind)
        {
            case "photo":
                return new JsonArray(
                    new JsonObject { ["file_id"] = file.FileId, ["file_unique_id"] = file.FileUniqueId + "s", ["width"] = 90, ["height"] = 90, ["file_size"] = Math.Min(file.Size, 5000) },
                    new JsonObject { ["file_id"] = file.FileId, ["file_unique_id"] = file.FileUniqueId, ["width"] = 1280, ["height"] = 1280, ["file_size"] = file.Size });
            case "video":
                var video = new JsonObject
                {
                    ["file_id"] = file.FileId, ["file_unique_id"] = file.FileUniqueId,
                    ["width"] = request.Int("width") ?? 0, ["height"] = request.Int("height") ?? 0, ["duration"] = request.Int("duration") ?? 0,
                    ["mime_type"] = "video/mp4", ["file_size"] = file.Size, ["file_name"] = file.FileName ?? "video.mp4",
                };
                if (thumbnail is not null)
                    video["thumbnail"] = new JsonObject { ["file_id"] = thumbnail.FileId, ["file_unique_id"] = thumbnail.FileUniqueId, ["width"] = 180, ["height"] = 320, ["file_size"] = thumbnail.Size };
                return video;
            default:
                return new JsonObject
                {
                    ["file_id"] = file.FileId, ["file_unique_id"] = file.FileUniqueId, ["file_name"] = file.FileName ?? "file",
                    ["mime_type"] = file.MimeType ?? "application/octet-stream", ["file_size"] = file.Size,
                };
        }
    }

    private async Task<JsonNode?> SendMediaAsync(BotState bot, ApiRequest request, HttpContext http, string kind)
    {
        var (caption, entities) = FormatText(request, "caption", MaxCaption);
        var markup = ReplyMarkup(request);
        lock (bot.Lock) WritableChat(bot, request.ChatId());
        var file = await InputFileAsync(bot, request, kind, request.String(kind), kind, http.RequestAborted);
        FileEntry? thumbnail = null;
        if (kind == "video" && (request.Files?.GetFile("thumbnail") is not null || request.String("thumbnail") is not null))
        {
            thumbnail = await InputFileAsync(bot, request, "thumbnail", request.String("thumbnail"), "thumb", http.RequestAborted);
        }
        lock (bot.Lock)
        {
            var chat = WritableChat(bot, request.ChatId());
            var content = new JsonObject { [kind] = MediaJson(kind, file, request, thumbnail) };
            if (kind == "video") content["supports_streaming"] = request.Bool("supports_streaming");
            if (caption.Length > 0) content["caption"] = caption;
            if (entities.Count > 0) content["caption_entities"] = entities;
            if (markup is not null) content["reply_markup"] = markup;
            var message = AddBotMessage(bot, chat, content, captionHtml: request.String("caption"));
            return message.Json.DeepClone();
        }
    }

    private async Task<JsonNode?> SendMediaGroupAsync(BotState bot, ApiRequest request, HttpContext http)
    {
        var media = request.Json("media") as JsonArray ?? throw new BotApiException(400, "Bad Request: parameter \"media\" is required");
        if (media.Count is < 2 or > 10) throw new BotApiException(400, "Bad Request: wrong number of messages in the media group (2-10 required)");
        lock (bot.Lock) WritableChat(bot, request.ChatId());
        var files = new List<(string Kind, FileEntry File, string? Caption)>();
        foreach (var item in media)
        {
            var kind = item?["type"]?.GetValue<string>() ?? "photo";
            if (kind is not ("photo" or "video" or "document")) throw new BotApiException(400, "Bad Request: wrong media type in the media group");
            files.Add((kind, await InputFileAsync(bot, request, kind, item?["media"]?.GetValue<string>(), kind, http.RequestAborted), item?["caption"]?.GetValue<string>()));
        }
        lock (bot.Lock)
        {
            var chat = WritableChat(bot, request.ChatId());
            var group = Guid.NewGuid().ToString("N")[..12];
            var sent = new JsonArray();
            foreach (var (kind, file, caption) in files)
            {
                var content = new JsonObject { [kind] = MediaJson(kind, file, request, null), ["media_group_id"] = group };
                if (!string.IsNullOrEmpty(caption)) content["caption"] = caption;
                sent.Add(AddBotMessage(bot, chat, content).Json.DeepClone());
            }
            return sent;
        }
    }

    private Task<JsonNode?> CopyMessage(BotState bot, ApiRequest request, HttpContext http)
    {
        lock (bot.Lock)
        {
            var from = request.Long("from_chat_id") ?? throw new BotApiException(400, "Bad Request: chat not found");
            if (!bot.Chats.TryGetValue(from, out var source)) throw new BotApiException(400, "Bad Request: chat not found");
            var original = source.Messages.FirstOrDefault(m => m.MessageId == request.Int("message_id") && !m.Deleted)
                           ?? throw new BotApiException(400, "Bad Request: message to copy not found");
            var chat = WritableChat(bot, request.ChatId());
            var copy = (JsonObject)original.Json.DeepClone();
            foreach (var key in new[] { "message_id", "from", "chat", "date", "edit_date", "reply_markup" }) copy.Remove(key);
            if (ReplyMarkup(request) is { } markup) copy["reply_markup"] = markup;
            var message = AddBotMessage(bot, chat, copy, original.Html, original.CaptionHtml);
            return Task.FromResult<JsonNode?>(new JsonObject { ["message_id"] = message.MessageId });
        }
    }

    private Task<JsonNode?> GetFile(BotState bot, ApiRequest request, HttpContext http)
    {
        var id = request.RequiredString("file_id");
        lock (bot.Lock)
        {
            if (!bot.Files.TryGetValue(id, out var file)) throw new BotApiException(400, "Bad Request: invalid file_id");
            // The cloud Bot API refuses to hand out files over 20 MB; a local server does not.
            if (!state.Options.LocalServer && file.Size > 20L * 1024 * 1024) throw new BotApiException(400, "Bad Request: file is too big");
            return Task.FromResult<JsonNode?>(new JsonObject
            {
                ["file_id"] = file.FileId, ["file_unique_id"] = file.FileUniqueId, ["file_size"] = file.Size, ["file_path"] = "files/" + file.FileId,
            });
        }
    }
}
