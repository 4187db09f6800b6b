using System.Text.Json.Nodes;

namespace NeuroCards.TelegramEmulator.State;

/// <summary>A message as Telegram would return it, with the emulator's bookkeeping.</summary>
public sealed class StoredMessage(int messageId, JsonObject json, bool fromBot)
{
    public int MessageId { get; } = messageId;
    public JsonObject Json { get; set; } = json;
    public bool FromBot { get; } = fromBot;

    /// <summary>When it arrived, in Unix milliseconds: a user's message and the bot's answer give the bot's latency.</summary>
    public long ArrivedAtMs { get; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    public bool Deleted { get; set; }
    /// <summary>Bumped on every change, so clients can wait for "anything newer than what I saw".</summary>
    public long Version { get; set; }
    /// <summary>The text as the bot sent it (HTML), for the web chat.</summary>
    public string? Html { get; set; }
    public string? CaptionHtml { get; set; }
}
