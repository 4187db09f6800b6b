namespace NeuroCards.Core.Shops;

/// <summary>Where a seller's shop is (shops.marketplace: wb, ozon, ym).</summary>
public enum Marketplace
{
    Wb,
    Ozon,
    Ym,
}
