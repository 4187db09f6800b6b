using NeuroCards.Core.Texts;

namespace NeuroCards.Worker.Media;

/// <summary>
/// A caption line as it fits the frame: wrapped on words into at most three lines, in the largest font size whose
/// longest line still fits between the margins (a long line gets a smaller font, never a cut-off edge).
/// </summary>
public sealed record CaptionLayout(IReadOnlyList<string> Lines, int FontSize)
{
    public const int MaxLines = 3;
    public const int LargestFont = 56;
    public const int SmallestFont = 30;

    // DejaVu Sans Bold is at most about 0.68 em wide per character across Latin and Cyrillic text.
    private const double CharWidth = 0.68;

    public static CaptionLayout Fit(string text, int width)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0) return new CaptionLayout([], LargestFont);
        for (var size = LargestFont; size >= SmallestFont; size -= 2)
        {
            var perLine = (int)(width / (CharWidth * size));
            var lines = Wrap(words, perLine);
            if (lines.Count <= MaxLines && lines.All(l => l.Length <= perLine)) return new CaptionLayout(lines, size);
        }
        var smallest = (int)(width / (CharWidth * SmallestFont));
        var wrapped = Wrap(words, smallest);
        var kept = wrapped.Take(MaxLines).Select(l => l.Length <= smallest ? l : TextElements.Head(l, smallest - 1) + "…").ToList();
        if (wrapped.Count > MaxLines) kept[^1] = kept[^1].Length < smallest ? kept[^1] + "…" : TextElements.Head(kept[^1], smallest - 1) + "…";
        return new CaptionLayout(kept, SmallestFont);
    }

    private static List<string> Wrap(IEnumerable<string> words, int perLine)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in words)
        {
            if (line.Length == 0) line = word;
            else if (line.Length + 1 + word.Length <= perLine) line += " " + word;
            else
            {
                lines.Add(line);
                line = word;
            }
        }
        if (line.Length > 0) lines.Add(line);
        return lines;
    }
}
