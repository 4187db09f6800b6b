using System.Text.RegularExpressions;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Marketplaces.Ozon;
using NeuroCards.Core.Marketplaces.Wildberries;
using NeuroCards.Core.Marketplaces.YandexMarket;
using NeuroCards.Core.Shops;

namespace NeuroCards.Bot.Shops;

/// <summary>
/// Checks a marketplace secret the moment it arrives: what it says of itself (a WB token's type, categories, expiry),
/// then a cheap read-only call with it. A personal WB token is refused with WB's own rule: it may not be given to a
/// cloud service. Nothing here logs the secret or puts it in an exception.
/// </summary>
public sealed partial class ShopSecretChecker(WildberriesContentApi wildberries, OzonApi ozon, YandexMarketApi yandexMarket, TimeProvider time,
    ILogger<ShopSecretChecker> logger)
{
    public async Task<ShopSecretCheck> CheckAsync(Marketplace marketplace, string text, CancellationToken cancellationToken)
    {
        try
        {
            return marketplace switch
            {
                Marketplace.Wb => await WildberriesAsync(text.Trim(), cancellationToken),
                Marketplace.Ozon => await OzonAsync(text, cancellationToken),
                _ => await YandexMarketAsync(text, cancellationToken),
            };
        }
        catch (MarketplaceException e)
        {
            logger.LogInformation("{Marketplace} refused a shop's check: {Error}", marketplace, e.Error);
            return ShopSecretCheck.Refused(marketplace, e.Error switch
            {
                MarketplaceError.Unauthorized => "shops.refused.unauthorized",
                MarketplaceError.Forbidden => "shops.refused.forbidden",
                MarketplaceError.RateLimited or MarketplaceError.Unavailable => "shops.refused.unavailable",
                _ => "shops.refused.rejected",
            }, ("reason", Core.Texts.Html.Escape(e.Reason)));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Checking a {Marketplace} shop failed: {Error}", marketplace, e.GetType().Name);
            return ShopSecretCheck.Refused(marketplace, "shops.refused.unavailable", ("reason", ""));
        }
    }

    private async Task<ShopSecretCheck> WildberriesAsync(string token, CancellationToken cancellationToken)
    {
        if (WildberriesToken.Parse(token) is not { } claims) return ShopSecretCheck.Refused(Marketplace.Wb, "shops.refused.wb_not_token");
        if (claims.Type == WildberriesTokenType.Personal) return ShopSecretCheck.Refused(Marketplace.Wb, "shops.refused.wb_personal");
        if (claims.Type == WildberriesTokenType.Test) return ShopSecretCheck.Refused(Marketplace.Wb, "shops.refused.wb_test");
        if (!claims.Content) return ShopSecretCheck.Refused(Marketplace.Wb, "shops.refused.wb_no_content");
        if (claims.ReadOnly) return ShopSecretCheck.Refused(Marketplace.Wb, "shops.refused.wb_read_only");
        if (claims.ExpiresAt is { } expires && expires <= time.GetUtcNow().UtcDateTime)
            return ShopSecretCheck.Refused(Marketplace.Wb, "shops.refused.wb_expired", ("date", expires.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture)));
        await wildberries.CheckAsync(token, cancellationToken);
        return new ShopSecretCheck(Marketplace.Wb, claims.SellerId ?? "wb", token, claims.ExpiresAt, null, []);
    }

    private async Task<ShopSecretCheck> OzonAsync(string text, CancellationToken cancellationToken)
    {
        if (Pair().Match(text) is not { Success: true } pair) return ShopSecretCheck.Refused(Marketplace.Ozon, "shops.refused.ozon_format");
        var (clientId, apiKey) = (pair.Groups["id"].Value, pair.Groups["key"].Value);
        await ozon.CheckAsync(clientId, apiKey, cancellationToken);
        return new ShopSecretCheck(Marketplace.Ozon, clientId, apiKey, null, null, []);
    }

    private async Task<ShopSecretCheck> YandexMarketAsync(string text, CancellationToken cancellationToken)
    {
        if (Pair().Match(text) is not { Success: true } pair) return ShopSecretCheck.Refused(Marketplace.Ym, "shops.refused.ym_format");
        var (businessId, apiKey) = (pair.Groups["id"].Value, pair.Groups["key"].Value);
        await yandexMarket.CheckAsync(apiKey, businessId, cancellationToken);
        return new ShopSecretCheck(Marketplace.Ym, businessId, apiKey, null, null, []);
    }

    // "123456 0a1b2c3d-…" or on two lines: the shop's number, then the key.
    [GeneratedRegex(@"^\s*(?<id>\d{1,20})\s*[\s:;,]\s*(?<key>[A-Za-z0-9_\-:.]{16,200})\s*$")]
    private static partial Regex Pair();
}
