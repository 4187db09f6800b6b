using System.Text.RegularExpressions;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Orders;

namespace NeuroCards.Worker.Prompting;

/// <summary>
/// The words burned into a video: a short headline and two or three benefit lines, in Russian (the marketplaces'
/// language). The prompt model writes them after the prompt, under a <c>CAPTIONS:</c> line; without the model they are
/// taken from the seller's description — the product's name, then its shortest clear claims. Either way every line is
/// checked against what the marketplaces forbid, and rewritten or dropped.
/// </summary>
public static partial class CaptionWriter
{
    public const string Marker = "CAPTIONS:";

    /// <summary>What the model is asked for, after the prompt.</summary>
    public const string Instruction =
        "After the prompt, write a line 'CAPTIONS:' and then, in Russian, one short headline (at most 5 words) and 2-3 benefit lines "
        + "(at most 6 words each), one per line. No prices, discounts, contacts, links or words like 'хит', 'лучший', 'топ'.";

    /// <summary>The prompt without the captions section, and the caption lines the model wrote (none when it wrote none).</summary>
    public static (string Prompt, IReadOnlyList<string> Captions) Split(string answer)
    {
        var at = answer.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0) return (answer, []);
        var lines = answer[(at + Marker.Length)..].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => Unquote(Bullet().Replace(l, "").Trim())).Where(l => l.Length > 0).ToList();
        return (answer[..at].Trim(), lines);
    }

    /// <summary>A line the model wrapped in quotes whole loses them; quotes inside a line («Морской бриз») stay.</summary>
    private static string Unquote(string line) =>
        line.Length > 1 && ((line[0] == '"' && line[^1] == '"') || (line[0] == '«' && line[^1] == '»' && line.Count(c => c == '«') == 1))
            ? line[1..^1].Trim()
            : line;

    /// <summary>The lines to draw: the model's when it wrote usable ones, else taken from the description.</summary>
    public static IReadOnlyList<string> Compose(IReadOnlyList<string> fromModel, string description)
    {
        var cleaned = CaptionRules.Clean(fromModel);
        if (cleaned.Count >= 2) return cleaned;
        return CaptionRules.Clean([ProductName.Of(description, int.MaxValue), .. Claims(description)]);
    }

    /// <summary>The description's short clauses after its first (the name): "Держит тепло 6 часов", "Можно в посудомойку".</summary>
    private static IEnumerable<string> Claims(string description)
    {
        var rest = description.Split(['\n', '.', '!', '?', ';', '•'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1);
        return rest.SelectMany(s => s.Split(", ", StringSplitOptions.TrimEntries))
            .Select(s => Bullet().Replace(s, "").Trim())
            .Where(s => s.Length is >= 8 and <= CaptionRules.MaxLineLength && CaptionRules.Violation(s) is null)
            .Take(3);
    }

    [GeneratedRegex(@"^(\d+[.)]|[-–—*•])\s*")]
    private static partial Regex Bullet();
}
