using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Marketplaces.YandexMarket;

public sealed partial class YandexMarketOptions : IValidatableObject
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<YandexMarketOptions>;

    public const string Section = "YandexMarket";

    /// <summary>The Partner API (the seller's Api-Key, business id).</summary>
    [Required]
    public string ApiUrl { get; set; } = "https://api.partner.market.yandex.ru";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MarketplaceHosts.IsAllowed(ApiUrl, "market.yandex.ru"))
            yield return new("YandexMarket__ApiUrl must be a Yandex Market host (https://api.partner.market.yandex.ru)");
    }
}
