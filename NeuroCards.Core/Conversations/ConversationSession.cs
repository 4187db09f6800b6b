using System.Text.Json.Nodes;

namespace NeuroCards.Core.Conversations;

/// <summary>
/// One chat's conversation as an update found it (its row locked by <see cref="ConversationStore.BeginAsync"/> until the
/// update's transaction ends) and as the update leaves it (<see cref="ConversationStore.SaveAsync"/>).
/// </summary>
public sealed class ConversationSession(long chatId, ConversationState state, JsonObject data, int version, int? menuMessageId)
{
    public long ChatId { get; } = chatId;
    public ConversationState State { get; set; } = state;
    public JsonObject Data { get; set; } = data;

    /// <summary>The row's version when it was read: the save is refused if another writer moved it on meanwhile.</summary>
    public int Version { get; } = version;

    /// <summary>The chat's screen (the message whose buttons act on the current step), as its sender recorded it.</summary>
    public int? MenuMessageId { get; } = menuMessageId;

    /// <summary>The key under which a conversation keeps the order that was short of credits.</summary>
    public const string PendingOrderKey = "pendingOrderId";

    /// <summary>The key under which a conversation keeps the draft being built.</summary>
    public const string OrderKey = "orderId";

    /// <summary>An order id kept in a conversation's data under <paramref name="key"/>; null when there is none.</summary>
    public static Guid? GuidIn(JsonObject data, string key) =>
        data[key]?.GetValue<string>() is { } text && Guid.TryParse(text, out var id) ? id : null;
}
