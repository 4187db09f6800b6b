using System.Text.Json.Nodes;

namespace NeuroCards.Core.Conversations;

/// <summary>
/// What a chat's conversation remembers, read outside an update's transaction: the step it is at and its draft, the order
/// waiting for a top-up, the screen shown last, and the step's data.
/// </summary>
public sealed record ConversationPeek(ConversationState? State, Guid? OrderId, Guid? PendingOrderId, int? MenuMessageId, JsonObject Data);
