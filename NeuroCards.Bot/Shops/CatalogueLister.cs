using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Marketplaces.Wildberries;
using NeuroCards.Core.Shops;

namespace NeuroCards.Bot.Shops;

/// <summary>Reads all of a WB shop's cards (paged) to find those without a video: seconds for a large shop, so before the transaction.</summary>
public sealed class CatalogueLister(Core.Shops.Shops shops, WildberriesContentApi wildberries, ILogger<CatalogueLister> logger)
{
    /// <summary>The most cards one batch takes; a larger catalogue is done in several.</summary>
    public const int MaxCards = 1000;

    public async Task<CatalogueListing?> ListAsync(long userId, Guid shopId, CancellationToken cancellationToken)
    {
        if (await shops.GetAsync(shopId, userId, cancellationToken) is not { Kind: Marketplace.Wb } shop) return null;
        var found = 0;
        var without = new List<WildberriesSellerCard>();
        try
        {
            await foreach (var card in wildberries.ListCardsAsync(shops.SecretOf(shop), cancellationToken))
            {
                found++;
                if (!card.HasVideo && card.PhotoCount > 0 && without.Count < MaxCards) without.Add(card);
            }
        }
        catch (MarketplaceException e)
        {
            logger.LogInformation("Listing the cards of shop {ShopId} failed: {Error}", shopId, e.Error);
            return new CatalogueListing(shopId, found, [], e.Error == MarketplaceError.Unauthorized ? "pub.reason.unauthorized" : "shops.refused.rejected",
                Core.Texts.Html.Escape(e.Reason));
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("Listing the cards of shop {ShopId} failed: {Error}", shopId, e.GetType().Name);
            return new CatalogueListing(shopId, found, [], "shops.refused.unavailable");
        }
        return new CatalogueListing(shopId, found, without, null);
    }
}
