using System.Text.RegularExpressions;

namespace NeuroCards.Core.Marketplaces.Wildberries;

/// <summary>
/// What a seller may send to start from a Wildberries card: the article number (nm id) alone, or a product link on
/// Wildberries' own sites. Only the number is taken from it: nothing the seller sent is ever fetched as it is.
/// </summary>
public static partial class WildberriesArticle
{
    public static bool TryParse(string? text, out long article)
    {
        article = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        var match = Number().Match(t);
        if (!match.Success)
        {
            match = Link().Match(t);
            if (!match.Success) return false;
        }
        return long.TryParse(match.Groups["nm"].Value, out article) && article > 0;
    }

    /// <summary>A product link of another marketplace: not imported (yet), the seller is asked for a photo and the description.</summary>
    public static bool IsOtherMarketplace(string? text) => text is not null && OtherLink().IsMatch(text);

    // "123456789", "арт. 123456789", "Артикул: 123456789"
    [GeneratedRegex(@"^(?:арт(?:икул)?\.?\s*:?\s*)?(?<nm>\d{6,12})$", RegexOptions.IgnoreCase)]
    private static partial Regex Number();

    // https://www.wildberries.ru/catalog/123456789/detail.aspx?targetUrl=…, wildberries.by/.kz/.am, wb.ru
    [GeneratedRegex(@"^(?:https?://)?(?:www\.|m\.)?(?:wildberries\.(?:ru|by|kz|am|kg|uz)|wb\.ru)/catalog/(?<nm>\d{6,12})(?:/[^\s]*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    [GeneratedRegex(@"(?:^|\s|//)(?:www\.)?(?:ozon\.ru|market\.yandex\.ru|ozon\.by|ozon\.kz)/", RegexOptions.IgnoreCase)]
    private static partial Regex OtherLink();
}
