using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Http.Resilience;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Marketplaces.Ozon;
using NeuroCards.Core.Marketplaces.Wildberries;
using NeuroCards.Core.Marketplaces.YandexMarket;
using NeuroCards.Core.Publishing;
using NeuroCards.Core.Shops;

namespace Microsoft.Extensions.DependencyInjection;

public static class MarketplaceServiceExtensions
{
    /// <summary>
    /// Wildberries (public cards and the seller's Content API), Ozon and Yandex Market, the sellers' shops and the
    /// publication queue: the bot connects shops and asks; the worker publishes.
    /// </summary>
    public static IServiceCollection AddMarketplaces(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<WildberriesOptions, WildberriesOptions.Validator>(configuration, WildberriesOptions.Section);
        services.AddValidatedOptions<OzonOptions, OzonOptions.Validator>(configuration, OzonOptions.Section);
        services.AddValidatedOptions<YandexMarketOptions, YandexMarketOptions.Validator>(configuration, YandexMarketOptions.Section);
        services.AddValidatedOptions<ShopOptions, ShopOptions.Validator>(configuration, ShopOptions.Section);
        services.AddSingleton<WildberriesCatalog>();
        // Short and few: a seller waits on these. No redirects: a basket never sends us elsewhere.
        services.AddHttpClient(WildberriesCatalog.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false })
            .RemoveAllResilienceHandlers();
        // The sellers' APIs: no automatic retries (the publication queue retries, honouring 429s), no redirects (a secret
        // header never follows one elsewhere), uploads of up to 50 MB.
        foreach (var name in new[] { WildberriesContentApi.HttpClientName, OzonApi.HttpClientName, YandexMarketApi.HttpClientName })
        {
            services.AddHttpClient(name, http => http.Timeout = TimeSpan.FromMinutes(5))
                .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false })
                .RemoveAllResilienceHandlers();
        }
        services.AddSingleton<WildberriesContentApi>();
        services.AddSingleton<OzonApi>();
        services.AddSingleton<YandexMarketApi>();
        services.AddSingleton<ShopSecrets>();
        services.AddSingleton<Shops>();
        services.AddSingleton<Publications>();
        services.AddSingleton<Batches>();
        return services;
    }
}
