using System.Net;

namespace NeuroCards.Core.Texts;

public static class Html
{
    /// <summary>Escapes a user-supplied string for Telegram's HTML parse mode (&amp;, &lt;, &gt;, &quot;).</summary>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");
}
