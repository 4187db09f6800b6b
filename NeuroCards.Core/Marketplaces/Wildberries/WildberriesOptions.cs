using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Marketplaces.Wildberries;

public sealed partial class WildberriesOptions : IValidatableObject
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<WildberriesOptions>;

    public const string Section = "Wildberries";

    /// <summary>
    /// Where the public cards live, {basket} standing for the two-digit basket number. Only Wildberries' own hosts
    /// (or loopback, for tests) are accepted: the article is the only thing a seller's message contributes to a request.
    /// </summary>
    [Required]
    public string BasketUrl { get; set; } = "https://basket-{basket}.wbbasket.ru";

    /// <summary>Baskets to look in: cards are spread over numbered hosts by article range.</summary>
    [Range(1, 99)]
    public int Baskets { get; set; } = 40;

    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>The seller Content API: cards, media uploads (a seller's own token, connected with /shops).</summary>
    [Required]
    public string ContentApiUrl { get; set; } = "https://content-api.wildberries.ru";

    public const long MaxCardBytes = 1024 * 1024;
    public const long MaxPhotoBytes = 10 * 1024 * 1024;
    public const int MaxPhotos = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsAllowedHost(BasketUrl)) yield return new("Wildberries__BasketUrl must be a Wildberries host (https://basket-{basket}.wbbasket.ru)");
        if (!MarketplaceHosts.IsAllowed(ContentApiUrl, "wildberries.ru"))
            yield return new("Wildberries__ContentApiUrl must be a Wildberries host (https://content-api.wildberries.ru)");
    }

    public static bool IsAllowedHost(string basketUrl) =>
        Uri.TryCreate(basketUrl.Replace("{basket}", "01"), UriKind.Absolute, out var uri)
        && ((uri.Scheme == Uri.UriSchemeHttps && (uri.Host.EndsWith(".wbbasket.ru", StringComparison.OrdinalIgnoreCase)
                                                  || uri.Host.EndsWith(".wb.ru", StringComparison.OrdinalIgnoreCase)))
            || uri.IsLoopback);
}
