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
        ["sendVoice"] = (bot, r, h) => SendMediaAsync(bot, r, h, "voice"),
        ["sendMediaGroup"] = SendMediaGroupAsync,
        ["copyMessage"] = CopyMessage,
        ["getFile"] = GetFile,
        ["sendInvoice"] = SendInvoice,
        ["answerPreCheckoutQuery"] = AnswerPreCheckoutQuery,
        ["refundStarPayment"] = RefundStarPayment,
        ["getStarTransactions"] = GetStarTransactions,
        ["createInvoiceLink"] = CreateInvoiceLink,
        ["setChatMenuButton"] = SetChatMenuButton,
        ["getChatMenuButton"] = GetChatMenuButton,
        ["savePreparedInlineMessage"] = SavePreparedInlineMessage,
    };

    public static JsonObject BotUser(BotState bot) => new()
    {
        ["id"] = bot.BotId,
        ["is_bot"] = true,
        ["first_name"] = "NeuroCards",
        ["username"] = bot.Username,
        ["can_join_groups"] = false,
        ["can_read_all_group_messages"] = false,
        ["supports_inline_queries"] = false,
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
}
