namespace NeuroCards.Core.Conversations;

/// <summary>What a chat's conversation remembers outside an update: the order waiting for a top-up and the screen shown last.</summary>
public sealed record ConversationPeek(Guid? PendingOrderId, int? MenuMessageId);
