using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NeuroCards.TelegramEmulator.Rules;
using NeuroCards.TelegramEmulator.State;

namespace NeuroCards.TelegramEmulator.BotApi;

/// <summary>The bot's command menu, per scope and language.</summary>
public sealed partial class BotMethods
{
    private static string CommandsKey(ApiRequest request) =>
        (request.Json("scope")?["type"]?.GetValue<string>() ?? "default") + "/" + (request.Text("language_code") ?? "");

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
}
