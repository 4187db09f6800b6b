using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Marketplaces.Ozon;

public sealed partial class OzonOptions : IValidatableObject
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<OzonOptions>;

    public const string Section = "Ozon";

    /// <summary>The Seller API (Client-Id + Api-Key of the seller's shop).</summary>
    [Required]
    public string ApiUrl { get; set; } = "https://api-seller.ozon.ru";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MarketplaceHosts.IsAllowed(ApiUrl, "ozon.ru")) yield return new("Ozon__ApiUrl must be an Ozon host (https://api-seller.ozon.ru)");
    }
}
