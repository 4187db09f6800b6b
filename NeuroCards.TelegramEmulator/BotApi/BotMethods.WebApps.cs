using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NeuroCards.TelegramEmulator.Rules;
using NeuroCards.TelegramEmulator.State;
using NeuroCards.TelegramEmulator.WebApps;

namespace NeuroCards.TelegramEmulator.BotApi;

/// <summary>Mini Apps: the chat's menu button and the messages a Mini App may share.</summary>
public sealed partial class BotMethods
{
    private Task<JsonNode?> SetChatMenuButton(BotState bot, ApiRequest request, HttpContext http)
    {
        var button = request.Json("menu_button") as JsonObject ?? new JsonObject { ["type"] = "default" };
        switch (button["type"]?.GetValue<string>())
        {
            case "web_app":
                if (string.IsNullOrEmpty(button["text"]?.GetValue<string>())) throw new BotApiException(400, "Bad Request: menu button text is empty");
                WebAppUrl.Check(button["web_app"]?["url"]?.GetValue<string>(), "menu button");
                break;
            case "commands" or "default":
                break;
            default:
                throw new BotApiException(400, "Bad Request: can't parse menu button: unsupported type");
        }
        var chatId = request.WholeNumber("chat_id") ?? 0;
        lock (bot.Lock)
        {
            if (chatId != 0 && !bot.Chats.ContainsKey(chatId)) throw new BotApiException(400, "Bad Request: chat not found");
            bot.MenuButtons[chatId] = (JsonObject)button.DeepClone();
            bot.Touch();
        }
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }

    private Task<JsonNode?> GetChatMenuButton(BotState bot, ApiRequest request, HttpContext http)
    {
        lock (bot.Lock) return Task.FromResult<JsonNode?>(MenuButton(bot, request.WholeNumber("chat_id") ?? 0).DeepClone());
    }

    /// <summary>With the lock held: the chat's own menu button, else the bot's default, else the command list.</summary>
    public static JsonObject MenuButton(BotState bot, long chatId) =>
        bot.MenuButtons.GetValueOrDefault(chatId) ?? bot.MenuButtons.GetValueOrDefault(0) ?? new JsonObject { ["type"] = "commands" };

    private Task<JsonNode?> SavePreparedInlineMessage(BotState bot, ApiRequest request, HttpContext http)
    {
        var userId = request.WholeNumber("user_id") ?? throw new BotApiException(400, "Bad Request: parameter \"user_id\" is required");
        var result = request.Json("result") as JsonObject ?? throw new BotApiException(400, "Bad Request: parameter \"result\" is required");
        if (string.IsNullOrEmpty(result["type"]?.GetValue<string>()) || string.IsNullOrEmpty(result["id"]?.GetValue<string>()))
            throw new BotApiException(400, "Bad Request: can't parse inline query result");
        if (!(request.Bool("allow_user_chats") || request.Bool("allow_bot_chats") || request.Bool("allow_group_chats") || request.Bool("allow_channel_chats")))
            throw new BotApiException(400, "Bad Request: PEER_TYPES_INVALID");
        var prepared = new PreparedMessage(Guid.NewGuid().ToString("N")[..12], userId, (JsonObject)result.DeepClone(), DateTimeOffset.UtcNow.AddHours(24));
        lock (bot.Lock)
        {
            if (!bot.Users.ContainsKey(userId)) throw new BotApiException(400, "Bad Request: user not found");
            bot.Prepared[prepared.Id] = prepared;
        }
        return Task.FromResult<JsonNode?>(new JsonObject { ["id"] = prepared.Id, ["expiration_date"] = prepared.Expires.ToUnixTimeSeconds() });
    }
}
