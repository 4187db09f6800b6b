using System.Text.RegularExpressions;
using NeuroCards.Core.Texts;

namespace NeuroCards.Core.Marketplaces;

/// <summary>
/// What the marketplaces forbid on a product video: prices, discounts and promotions, contacts and links, and
/// "хит/лучший/топ"-style claims. A caption line keeps what is left once the forbidden words go, when that still reads
/// as a line; otherwise it is dropped.
/// </summary>
public static partial class CaptionRules
{
    public const int MaxLines = 4;
    public const int MaxLineLength = 42;

    /// <summary>Why a line breaks the rules, or null when it does not.</summary>
    public static string? Violation(string line) =>
        Price().IsMatch(line) ? "price" :
        Discount().IsMatch(line) ? "discount" :
        Contact().IsMatch(line) ? "contact" :
        Superlative().IsMatch(line) ? "superlative" : null;

    /// <summary>The line rewritten without its forbidden words, or null when nothing worth showing is left.</summary>
    public static string? Rewrite(string line)
    {
        var text = Spaces().Replace(line, " ").Trim();
        if (Price().IsMatch(text) || Contact().IsMatch(text) || Discount().IsMatch(text)) return null;
        text = Spaces().Replace(Superlative().Replace(text, ""), " ").Trim(' ', ',', '-', '—', '!', ':');
        if (text.Length < 3 || !text.Any(char.IsLetter)) return null;
        return char.ToUpper(text[0], System.Globalization.CultureInfo.InvariantCulture) + text[1..];
    }

    /// <summary>The lines to burn in: each one checked and rewritten or dropped, at most <see cref="MaxLines"/>, each kept short.</summary>
    public static IReadOnlyList<string> Clean(IEnumerable<string> lines) =>
        lines.Select(Rewrite).OfType<string>().Select(Shorten).Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxLines).ToList();

    /// <summary>
    /// A long line loses its last clauses, else its last words (and a preposition left hanging), never half a word:
    /// a line cut with "…" in a video reads as a mistake. Only a line with no place to cut keeps an ellipsis.
    /// </summary>
    private static string Shorten(string line)
    {
        if (line.Length <= MaxLineLength) return line;
        var cut = TextElements.Head(line, MaxLineLength + 1);
        var clause = cut.LastIndexOfAny([',', ';', ':', '—', '(']);
        if (clause >= MaxLineLength / 2) return cut[..clause].TrimEnd(' ', '-');
        var words = cut[..Math.Max(cut.LastIndexOf(' '), 0)].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && words[^1].Length <= 3 && words[^1].All(char.IsLower)) words.RemoveAt(words.Count - 1);
        var kept = string.Join(' ', words).TrimEnd(',', ' ', '-');
        return kept.Length >= MaxLineLength / 2 ? kept : TextElements.Head(line, MaxLineLength - 1) + "…";
    }

    // Digits with a currency, or a price word: "990 ₽", "от 500 руб.", "$20", "цена".
    [GeneratedRegex(@"\d[\d\s.,]*\s*(₽|руб|р\.|rub|\$|€|usd|eur)|(₽|\$|€)\s*\d|\b(цена|цене|стоимост\w*|price|бесплатн\w*|free)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Price();

    [GeneratedRegex(@"\d+\s*%|\b(скидк\w*|акци\w*|распродаж\w*|sale|discount|промокод\w*|кэшбэк\w*|cashback|выгодн\w*|дешевл\w*|дёшево|дешево)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Discount();

    // Phone numbers, handles, links, messengers.
    [GeneratedRegex(@"(\+?\d[\d\s()-]{8,}\d)|@\w{3,}|https?://|www\.|\b\w+\.(ru|com|рф|net|org|shop)\b|\b(whatsapp|ватсап|вотсап|telegram|телеграм\w*|звоните|пишите|директ|direct)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Contact();

    [GeneratedRegex(@"\b(хит продаж\w*|хит|хиты|хитов|лучш\w*|топ|топов\w*|№\s?1|номер один|сам(ый|ая|ое|ые|ых|ым|ой|ую|ого|ому)|идеальн\w*|уникальн\w*|best|top|#1|no\.?\s?1)\b|№\s?1", RegexOptions.IgnoreCase)]
    private static partial Regex Superlative();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
