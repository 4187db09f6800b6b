namespace NeuroCards.Core.Marketplaces.Wildberries;

/// <summary>A card as the seller's Content API lists it: what an order needs, and whether it has a video already.</summary>
public sealed record WildberriesSellerCard(long NmId, string Title, string? Brand, string? Description, bool HasVideo, int PhotoCount,
    IReadOnlyList<(string Name, string Value)> Options)
{
    public WildberriesCard AsCard() => new(NmId, Title, Brand, Description, Options, PhotoCount);
}
