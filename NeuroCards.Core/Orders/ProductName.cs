using NeuroCards.Core.Texts;

namespace NeuroCards.Core.Orders;

public static class ProductName
{
    /// <summary>The first line (up to the first full stop) of a description, short: the product's name for captions, fallbacks and summaries.</summary>
    public static string Of(string? description, int max)
    {
        var first = (description ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        first = first.Split(['.', '!', '?', ';'], 2)[0].Trim();
        return first.Length <= max ? first : TextElements.Head(first, max - 1).TrimEnd() + "…";
    }
}
