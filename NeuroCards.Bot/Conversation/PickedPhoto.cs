namespace NeuroCards.Bot.Conversation;

/// <summary>Photo <see cref="Index"/> of a Wildberries card, picked for an order: stored, or null when Wildberries did not give it.</summary>
public sealed record PickedPhoto(Guid OrderId, long Article, int Index, PhotoUpload? Upload);
