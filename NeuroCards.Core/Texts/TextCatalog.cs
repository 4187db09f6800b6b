using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NeuroCards.Core.Texts;

/// <summary>
/// Every text a user sees, one catalogue per language (Texts/ru.json, Texts/en.json; ru is the
/// default). Values are Telegram HTML; placeholders are {name}. Values passed in are inserted as
/// given: escape user-supplied strings with <see cref="Html.Escape"/> first.
/// Plural keys have forms "key.one", "key.few", "key.many" (ru) / "key.one", "key.other" (en).
/// </summary>
public sealed partial class TextCatalog
{
    public const string DefaultLanguage = "ru";
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _languages;

    private TextCatalog(FrozenDictionary<string, FrozenDictionary<string, string>> languages) => _languages = languages;

    public static TextCatalog Load()
    {
        var assembly = typeof(TextCatalog).Assembly;
        var languages = new Dictionary<string, FrozenDictionary<string, string>>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("texts/", StringComparison.Ordinal)))
        {
            var language = name["texts/".Length..^".json".Length];
            using var stream = assembly.GetManifestResourceStream(name)!;
            var entries = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
                          ?? throw new InvalidOperationException($"{name} is empty");
            languages[language] = entries.ToFrozenDictionary();
        }
        return new TextCatalog(languages.ToFrozenDictionary());
    }

    public IEnumerable<string> Languages => _languages.Keys;

    public IEnumerable<string> Keys(string language) => _languages[language].Keys;

    /// <summary>"ru" for Russian Telegram clients, "en" for everything else.</summary>
    public static string LanguageFor(string? telegramLanguageCode) =>
        telegramLanguageCode is not null && telegramLanguageCode.StartsWith("ru", StringComparison.OrdinalIgnoreCase) ? "ru" : "en";

    public string Get(string language, string key, params (string Name, object? Value)[] args)
    {
        var text = Lookup(language, key);
        if (args.Length == 0) return text;
        // One pass over the text: a value that holds "{name}" (a seller's product name can) is never filled in itself.
        return Placeholder().Replace(text, m => args.FirstOrDefault(a => a.Name == m.Groups[1].Value) is { Name: not null } arg
            ? Convert.ToString(arg.Value, CultureInfo.InvariantCulture) ?? ""
            : m.Value);
    }

    /// <summary>The plural form of <paramref name="key"/> for <paramref name="n"/>, with {n} filled in.</summary>
    public string Plural(string language, string key, long n, params (string Name, object? Value)[] args) =>
        Get(language, key + "." + PluralRules.Form(language, n), [("n", n), .. args]);

    private string Lookup(string language, string key)
    {
        if (_languages.TryGetValue(language, out var texts) && texts.TryGetValue(key, out var text)) return text;
        if (_languages.TryGetValue(DefaultLanguage, out var fallback) && fallback.TryGetValue(key, out text)) return text;
        throw new KeyNotFoundException($"No text '{key}' in the catalogue");
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
