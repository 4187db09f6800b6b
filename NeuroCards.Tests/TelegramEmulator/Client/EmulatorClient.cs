using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace NeuroCards.Tests.TelegramEmulator.Client;

/// <summary>Drives the emulator's control API for one bot token, so tests read like conversations.</summary>
public sealed class EmulatorClient(HttpClient http, string token)
{
    public string Token { get; } = token;
    public Uri BaseAddress => http.BaseAddress!;

    internal HttpClient Http => http;
    internal string Api(string path) => $"/_emulator/bots/{Uri.EscapeDataString(Token)}{path}";

    public async Task<EmulatorUser> UserAsync(long id, string firstName = "Анна", string? languageCode = "ru", string? username = null)
    {
        using var response = await http.PostAsJsonAsync(Api("/users"), new { id, firstName, username, languageCode });
        response.EnsureSuccessStatusCode();
        return new EmulatorUser(this, id);
    }

    public async Task InjectFaultAsync(string method, string kind, int count = 1, int retryAfter = 1, int delayMs = 0)
    {
        using var response = await http.PostAsJsonAsync(Api("/faults"), new { method, kind, count, retryAfter, delayMs });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The chat's menu button as Telegram shows it to that user.</summary>
    public async Task<JsonObject> MenuButtonAsync(long chatId) => (await http.GetFromJsonAsync<JsonObject>(Api($"/menu-button/{chatId}")))!;

    /// <summary>The address the user's Telegram opens a Mini App at: its URL with a freshly signed initData.</summary>
    public async Task<string> WebAppLaunchUrlAsync(long userId, string url) =>
        (await http.GetFromJsonAsync<JsonObject>(Api($"/users/{userId}/webapp?url={Uri.EscapeDataString(url)}")))!["url"]!.GetValue<string>();

    public async Task<JsonObject> CommandsAsync() => (await http.GetFromJsonAsync<JsonObject>(Api("/commands")))!;

    public async Task<JsonObject> WebhookAsync() => (await http.GetFromJsonAsync<JsonObject>(Api("/webhook")))!;

    public async Task<(long Version, IReadOnlyList<ChatMessage> Messages)> TranscriptAsync(long chatId, long? after = null, int wait = 0)
    {
        var query = after is null ? "" : $"?after={after}&wait={wait}";
        var json = (await http.GetFromJsonAsync<JsonObject>(Api($"/chats/{chatId}{query}")))!;
        var messages = json["messages"]!.AsArray().Select(m => new ChatMessage((JsonObject)m!)).Where(m => !m.Deleted).ToList();
        return (json["version"]!.GetValue<long>(), messages);
    }

    /// <summary>Downloads a file the bot sent, as the user's client would.</summary>
    public Task<byte[]> DownloadAsync(string fileId) => http.GetByteArrayAsync($"/file/bot{Token}/files/{fileId}");
}
