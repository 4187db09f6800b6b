using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace NeuroCards.TelegramEmulator.WebApps;

/// <summary>
/// Telegram's <c>initData</c> for a Mini App, signed as Telegram signs it: the fields sorted into "key=value" lines, an
/// HMAC-SHA256 of them keyed by HMAC-SHA256("WebAppData", bot token), in hex as <c>hash</c>.
/// </summary>
public static class InitData
{
    public static string Sign(string botToken, JsonObject user, DateTimeOffset authDate, string? queryId = null)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["auth_date"] = authDate.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["user"] = user.ToJsonString(),
        };
        if (queryId is not null) fields["query_id"] = queryId;
        var secret = HMACSHA256.HashData(Encoding.UTF8.GetBytes("WebAppData"), Encoding.UTF8.GetBytes(botToken));
        var check = string.Join('\n', fields.Select(f => f.Key + "=" + f.Value));
        fields["hash"] = Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(check)));
        return string.Join('&', fields.Select(f => f.Key + "=" + Uri.EscapeDataString(f.Value)));
    }

    /// <summary>The address Telegram opens: the Mini App's URL with the launch parameters in its fragment.</summary>
    public static string LaunchUrl(string url, string initData, string colorScheme = "dark")
    {
        var theme = colorScheme == "dark"
            ? """{"bg_color":"#17212b","text_color":"#f5f5f5","hint_color":"#708499","link_color":"#6ab3f3","button_color":"#5288c1","button_text_color":"#ffffff","secondary_bg_color":"#232e3c"}"""
            : """{"bg_color":"#ffffff","text_color":"#000000","hint_color":"#999999","link_color":"#2481cc","button_color":"#2481cc","button_text_color":"#ffffff","secondary_bg_color":"#efeff3"}""";
        var bare = url.Split('#')[0];
        return $"{bare}#tgWebAppData={Uri.EscapeDataString(initData)}&tgWebAppVersion=8.0&tgWebAppPlatform=weba&tgWebAppThemeParams={Uri.EscapeDataString(theme)}";
    }
}
