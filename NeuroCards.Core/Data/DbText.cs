using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace NeuroCards.Core.Data;

/// <summary>
/// Enums are stored as snake_case text (<c>RateLimit</c> ↔ <c>rate_limit</c>), so the database stays readable and the
/// code is typed. Dapper sends enums as numbers, so parameters go through <see cref="ToDb{T}"/>; columns come back
/// through <see cref="TryParse{T}"/>.
/// </summary>
public static partial class DbText
{
    public static string ToDb<T>(this T value) where T : struct, Enum => Names<T>.ToText[value];

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        return text is not null && Names<T>.FromText.TryGetValue(text, out value);
    }

    private static class Names<T> where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> ToText =
            Enum.GetValues<T>().ToFrozenDictionary(v => v, v => Words().Replace(v.ToString(), "$1_$2").ToLowerInvariant());

        public static readonly FrozenDictionary<string, T> FromText = ToText.ToFrozenDictionary(p => p.Value, p => p.Key);
    }

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex Words();
}
