using NeuroCards.Core.Marketplaces.Wildberries;

namespace NeuroCards.Bot.Conversation;

/// <summary>A Wildberries card fetched for an import: null when there is none; its photos as numbered on the card.</summary>
public sealed record ImportedCard(long Article, WildberriesCard? Card, IReadOnlyList<(int Index, byte[] Photo)> Photos);
