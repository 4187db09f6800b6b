using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace NeuroCards.Tests.TelegramEmulator.Client;

/// <summary>One person in a private chat with the bot.</summary>
public sealed class EmulatorUser(EmulatorClient emulator, long id)
{
    public static TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(20);

    private long _mark;

    public long Id { get; } = id;

    private async Task<JsonObject> PostAsync(string path, object body)
    {
        var before = (await emulator.TranscriptAsync(Id)).Version;
        using var response = await emulator.Http.PostAsJsonAsync(emulator.Api($"/users/{Id}{path}"), body);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>() ?? [];
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"emulator refused {path}: {json["error"]}");
        _mark = before;
        return json;
    }

    /// <summary>Sends a text (or a /command). Later Expect calls see only what the bot does after this.</summary>
    public Task<JsonObject> Send(string text) => PostAsync("/text", new { text });

    public Task<JsonObject> SendPhoto(byte[] bytes, string? caption = null) =>
        PostAsync("/photo", new { base64 = Convert.ToBase64String(bytes), caption });

    public Task<JsonObject> SendDocument(byte[] bytes, string fileName, string mimeType) =>
        PostAsync("/document", new { base64 = Convert.ToBase64String(bytes), fileName, mimeType });

    public Task<JsonObject> SendVideo(byte[] bytes) => PostAsync("/video", new { base64 = Convert.ToBase64String(bytes) });

    public Task<JsonObject> SendSticker() => PostAsync("/sticker", new { });

    public Task<JsonObject> SendVoice() => PostAsync("/voice", new { });

    public Task<JsonObject> Edit(int messageId, string text) => PostAsync("/edit", new { messageId, text });

    /// <summary>Presses the button whose text contains <paramref name="buttonText"/>; returns the callback query id.</summary>
    public async Task<string> Press(ChatMessage message, string buttonText)
    {
        var button = message.Buttons.FirstOrDefault(b => b.Text.Contains(buttonText, StringComparison.OrdinalIgnoreCase) && b.CallbackData is not null)
                     ?? throw new InvalidOperationException($"no button '{buttonText}' in {message}");
        return await PressData(message, button.CallbackData!);
    }

    /// <summary>Presses a button with exactly this callback data (also forged data no keyboard had).</summary>
    public async Task<string> PressData(ChatMessage message, string data)
    {
        var json = await PostAsync("/press", new { messageId = message.Id, data });
        return json["callback_query_id"]!.GetValue<string>();
    }

    public async Task<bool> CallbackAnswered(string callbackId) =>
        (await emulator.Http.GetFromJsonAsync<JsonObject>(emulator.Api($"/callbacks/{callbackId}")))!["answered"]!.GetValue<bool>();

    /// <summary>The notice the bot showed for a button press (null: answered silently, or not yet).</summary>
    public async Task<string?> CallbackNotice(string callbackId) =>
        (await emulator.Http.GetFromJsonAsync<JsonObject>(emulator.Api($"/callbacks/{callbackId}")))!["text"]?.GetValue<string>();

    /// <summary>
    /// Pays an invoice message; returns the charge id, or the bot's refusal as the error. With <paramref name="loseUpdate"/>
    /// the successful_payment update is lost on its way to the bot, as updates sometimes are.
    /// </summary>
    public async Task<(string? ChargeId, string? Error)> Pay(ChatMessage invoice, bool loseUpdate = false)
    {
        var json = await PostAsync($"/pay/{invoice.Id}?loseUpdate={(loseUpdate ? "true" : "false")}", new { });
        return (json["charge_id"]?.GetValue<string>(), json["error"]?.GetValue<string>());
    }

    public Task Block() => PostAsync("/block", new { });

    public async Task<IReadOnlyList<ChatMessage>> Transcript() => (await emulator.TranscriptAsync(Id)).Messages;

    /// <summary>
    /// Waits for a bot message, new or edited since the user's last action, that matches.
    /// </summary>
    public async Task<ChatMessage> Expect(Func<ChatMessage, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        long version = _mark;
        IReadOnlyList<ChatMessage> seen = [];
        while (true)
        {
            var (current, messages) = await emulator.TranscriptAsync(Id);
            seen = messages;
            var match = messages.FirstOrDefault(m => m.FromBot && m.Version > _mark && predicate(m));
            if (match is not null) return match;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("No matching bot message. The chat:\n" + string.Join("\n", seen.TakeLast(8).Select(m => m.ToString() is var t && t.Length > 300 ? t[..300] + "…" : t)));
            }
            version = current;
            await emulator.TranscriptAsync(Id, after: version, wait: (int)Math.Ceiling(Math.Min(left.TotalSeconds, 10)));
        }
    }

    /// <summary>Waits for a bot message containing <paramref name="text"/>.</summary>
    public Task<ChatMessage> Expect(string text, TimeSpan? timeout = null) => Expect(m => m.Contains(text), timeout);

    /// <summary>Asserts nothing new comes from the bot for a while (for "the bot stays quiet" checks).</summary>
    public async Task<IReadOnlyList<ChatMessage>> NewBotMessagesAsync() =>
        (await Transcript()).Where(m => m.FromBot && m.Version > _mark).ToList();
}
