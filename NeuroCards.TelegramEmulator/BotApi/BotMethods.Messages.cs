using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NeuroCards.TelegramEmulator.Rules;
using NeuroCards.TelegramEmulator.State;

namespace NeuroCards.TelegramEmulator.BotApi;

/// <summary>Text messages and what a bot does to them afterwards: edits, deletion, callback answers, chat actions.</summary>
public sealed partial class BotMethods
{
    private static (string Text, JsonArray Entities) FormatText(ApiRequest request, string field, int max)
    {
        var raw = request.Text(field) ?? "";
        string text;
        JsonArray entities;
        if (string.Equals(request.Text("parse_mode"), "HTML", StringComparison.OrdinalIgnoreCase))
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
                if (button["web_app"] is JsonObject webApp) WebApps.WebAppUrl.Check(webApp["url"]?.GetValue<string>(), "inline keyboard button");
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
            return Task.FromResult<JsonNode?>(AddBotMessage(bot, chat, content, request.Text("text")).Json.DeepClone());
        }
    }

    private static StoredMessage EditableMessage(BotState bot, ApiRequest request)
    {
        var chat = WritableChat(bot, request.ChatId());
        var id = request.SmallNumber("message_id") ?? throw new BotApiException(400, "Bad Request: message identifier is not specified");
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
            message.Html = request.Text("text");
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
            message.CaptionHtml = request.Text("caption");
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
            var id = request.SmallNumber("message_id");
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
            if (request.Text("text") is { Length: > 0 } text) bot.CallbackAnswerTexts[id] = text;
            bot.Touch();
        }
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }

    private Task<JsonNode?> SendChatAction(BotState bot, ApiRequest request, HttpContext http)
    {
        lock (bot.Lock) WritableChat(bot, request.ChatId());
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }
}
