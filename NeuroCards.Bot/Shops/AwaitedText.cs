using System.Text.Json.Nodes;
using NeuroCards.Core.Conversations;

namespace NeuroCards.Bot.Shops;

/// <summary>
/// A text the chat's next message is taken as (a marketplace key, a card's article), valid only while the chat stays
/// at the step it was asked at and for <see cref="For"/>: a seller who went elsewhere is not surprised later by a
/// description swallowed (and, for a key, deleted) as an answer to an old question.
/// </summary>
public static class AwaitedText
{
    public static readonly TimeSpan For = TimeSpan.FromMinutes(15);

    public static void Set(JsonObject data, string key, JsonObject value, ConversationState state)
    {
        value["state"] = state.ToString();
        value["at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        data[key] = value;
    }

    public static JsonObject? Get(JsonObject data, string key, ConversationState? state) =>
        data[key] is JsonObject value && value["state"]?.ToString() == state?.ToString()
        && value["at"] is JsonValue at && at.TryGetValue(out long seconds)
        && DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(seconds) < For
            ? value
            : null;
}
