using NeuroCards.Core.Texts;

namespace NeuroCards.Core.Marketplaces.Wildberries;

/// <summary>A product card as Wildberries publishes it: what the seller would otherwise type, and how many photos it has.</summary>
public sealed record WildberriesCard(long Article, string Title, string? Brand, string? Description, IReadOnlyList<(string Name, string Value)> Options,
    int PhotoCount)
{
    /// <summary>The description the order starts with: name and brand, the card's text and its main options, within 3000 characters.</summary>
    public string OrderDescription(int max = 3000)
    {
        var parts = new List<string> { Brand is { Length: > 0 } ? $"{Title} ({Brand})" : Title };
        if (!string.IsNullOrWhiteSpace(Description)) parts.Add(Description.Trim());
        var options = Options.Where(o => o.Name.Length > 0 && o.Value.Length > 0).Take(8).Select(o => $"{o.Name}: {o.Value}").ToList();
        if (options.Count > 0) parts.Add(string.Join("\n", options));
        var text = string.Join("\n\n", parts);
        if (text.Length <= max) return text;
        var cut = TextElements.Head(text, max);
        var end = cut.LastIndexOfAny(['.', '!', '?', '\n']);
        return (end > max * 2 / 3 ? cut[..(end + 1)] : cut).Trim();
    }
}
