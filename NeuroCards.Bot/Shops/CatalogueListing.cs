using NeuroCards.Core.Marketplaces.Wildberries;

namespace NeuroCards.Bot.Shops;

/// <summary>A WB shop's cards, listed before the update's transaction: how many there are, and those without a video.</summary>
public sealed record CatalogueListing(Guid ShopId, int Found, IReadOnlyList<WildberriesSellerCard> WithoutVideo, string? Problem, string Reason = "");
