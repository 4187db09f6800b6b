using System.Globalization;

namespace NeuroCards.Core.Texts;

/// <summary>
/// Cutting user text to a length without splitting what a reader sees as one character: an emoji, a flag, a letter with
/// its accents. A cut through a surrogate pair leaves text PostgreSQL refuses and Telegram shows as garbage.
/// </summary>
public static class TextElements
{
    /// <summary>The longest start of <paramref name="text"/> of whole text elements within <paramref name="max"/> UTF-16 units.</summary>
    public static string Head(string text, int max)
    {
        if (text.Length <= max) return text;
        var end = 0;
        while (end < text.Length)
        {
            var next = StringInfo.GetNextTextElementLength(text, end);
            if (end + next > max) break;
            end += next;
        }
        return text[..end];
    }
}
