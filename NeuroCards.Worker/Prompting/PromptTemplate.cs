namespace NeuroCards.Worker.Prompting;

/// <summary>
/// One template file (prompts/&lt;template&gt;.&lt;lang&gt;.md): the system text, the user text, the
/// fallback prompt used when the model cannot be asked, the sentence that carries the seller's wishes into
/// that fallback, and the variant directions that make the videos of one order differ in hero, place and mood.
/// </summary>
public sealed record PromptTemplate(string System, string User, string Fallback, string Wishes, IReadOnlyList<string> Variants)
{
    public static PromptTemplate Parse(string text)
    {
        var sections = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("<!--", StringComparison.Ordinal) && trimmed.EndsWith("-->", StringComparison.Ordinal))
            {
                current = sections[trimmed[4..^3].Trim()] = [];
                continue;
            }
            current?.Add(line.TrimEnd('\r'));
        }
        string Section(string name) => sections.TryGetValue(name, out var lines)
            ? string.Join('\n', lines).Trim()
            : throw new FormatException($"prompt template has no '{name}' section");
        var variants = Section("variants").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new PromptTemplate(Section("system"), Section("user"), Section("fallback"), Section("wishes"), variants);
    }

    public string Direction(int index) => Variants[index % Variants.Count];
}
