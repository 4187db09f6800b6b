using System.Text.Json.Nodes;

namespace NeuroCards.Core.Conversations;

/// <summary>
/// What a chat's conversation remembers, read outside an update's transaction: the step it is at, the screen shown last,
/// and the step's data (the draft, the order waiting for a top-up).
/// </summary>
public sealed record ConversationPeek(ConversationState? State, int? MenuMessageId, JsonObject Data)
{
    public Guid? OrderId => ConversationSession.GuidIn(Data, ConversationSession.OrderKey);

    public Guid? PendingOrderId => ConversationSession.GuidIn(Data, ConversationSession.PendingOrderKey);
}
