using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace NeuroCards.TelegramEmulator.Rules;

/// <summary>
/// Telegram's HTML parse mode, as strict as Telegram: the text becomes plain text plus entities,
/// and anything Telegram would refuse (unknown or unclosed tags, bare '&lt;', unknown entities)
/// is refused with Telegram's "can't parse entities" error.
/// </summary>
public static class TelegramHtml
{
    private static readonly Dictionary<string, string> Tags = new()
    {
        ["b"] = "bold",
        ["strong"] = "bold",
        ["i"] = "italic",
        ["em"] = "italic",
        ["u"] = "underline",
        ["ins"] = "underline",
        ["s"] = "strikethrough",
        ["strike"] = "strikethrough",
        ["del"] = "strikethrough",
        ["tg-spoiler"] = "spoiler",
        ["span"] = "spoiler",
        ["a"] = "text_link",
        ["code"] = "code",
        ["pre"] = "pre",
        ["blockquote"] = "blockquote",
        ["tg-emoji"] = "custom_emoji",
    };

    public sealed record Parsed(string Text, JsonArray Entities);

    public static Parsed Parse(string html)
    {
        var text = new StringBuilder();
        var entities = new List<JsonObject>();
        var open = new Stack<(string Tag, int Offset, JsonObject Entity)>();
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '<')
            {
                var end = html.IndexOf('>', i);
                if (end < 0) throw Error($"Unexpected end of name token at byte offset {i}");
                var inside = html[(i + 1)..end];
                if (inside.StartsWith('/'))
                {
                    var name = inside[1..].Trim().ToLowerInvariant();
                    if (open.Count == 0 || open.Peek().Tag != name)
                        throw Error($"Unexpected end tag at byte offset {i}");
                    var (_, offset, entity) = open.Pop();
                    var length = text.Length - offset;
                    if (length > 0)
                    {
                        entity["offset"] = offset;
                        entity["length"] = length;
                        entities.Add(entity);
                    }
                }
                else
                {
                    var space = inside.IndexOfAny([' ', '\t', '\n']);
                    var name = (space < 0 ? inside : inside[..space]).ToLowerInvariant();
                    if (name.Length == 0 || !Tags.TryGetValue(name, out var type))
                        throw Error($"Unsupported start tag \"{name}\" at byte offset {i}");
                    var attributes = space < 0 ? "" : inside[space..];
                    var entity = new JsonObject { ["type"] = type };
                    if (name == "a")
                    {
                        var href = Attribute(attributes, "href") ?? throw Error($"Can't find href attribute of tag \"a\" at byte offset {i}");
                        if (href.StartsWith("tg://user?id=", StringComparison.Ordinal)) entity["type"] = "text_mention";
                        entity["url"] = WebUtility.HtmlDecode(href);
                    }
                    if (name == "span" && Attribute(attributes, "class") != "tg-spoiler")
                        throw Error($"Tag \"span\" must have class \"tg-spoiler\" at byte offset {i}");
                    if (name == "blockquote" && attributes.Contains("expandable", StringComparison.Ordinal)) entity["type"] = "expandable_blockquote";
                    open.Push((name, text.Length, entity));
                }
                i = end + 1;
            }
            else if (c == '&')
            {
                var end = html.IndexOf(';', i);
                if (end < 0 || end - i > 10) throw Error($"Unclosed character entity at byte offset {i}");
                var name = html[(i + 1)..end];
                var decoded = name switch
                {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    _ when name.StartsWith("#x", StringComparison.OrdinalIgnoreCase) && int.TryParse(name[2..], System.Globalization.NumberStyles.HexNumber, null, out var hex) => char.ConvertFromUtf32(hex),
                    _ when name.StartsWith('#') && int.TryParse(name[1..], out var dec) => char.ConvertFromUtf32(dec),
                    _ => throw Error($"Unsupported HTML entity \"&{name};\" at byte offset {i}"),
                };
                text.Append(decoded);
                i = end + 1;
            }
            else if (c == '>')
            {
                text.Append(c);
                i++;
            }
            else
            {
                text.Append(c);
                i++;
            }
        }
        if (open.Count > 0) throw Error($"Can't find end tag corresponding to start tag \"{open.Peek().Tag}\"");
        var array = new JsonArray();
        foreach (var e in entities.OrderBy(e => e["offset"]!.GetValue<int>())) array.Add(e);
        return new Parsed(text.ToString(), array);
    }

    private static string? Attribute(string attributes, string name)
    {
        var at = attributes.IndexOf(name + "=", StringComparison.OrdinalIgnoreCase);
        if (at < 0) return null;
        var rest = attributes[(at + name.Length + 1)..].TrimStart();
        if (rest.Length == 0) return null;
        var quote = rest[0];
        if (quote is '"' or '\'')
        {
            var close = rest.IndexOf(quote, 1);
            return close < 0 ? null : rest[1..close];
        }
        var stop = rest.IndexOfAny([' ', '\t', '\n']);
        return stop < 0 ? rest : rest[..stop];
    }

    private static BotApiException Error(string detail) => new(400, "Bad Request: can't parse entities: " + detail);
}
