using System.Globalization;
using System.Security;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Telegram;
using Telegram.Bot;

namespace NeuroCards.Bot.MiniApp;

/// <summary>
/// Every Mini App request carries Telegram's initData (<c>Authorization: tma &lt;initData&gt;</c>): its hash checked with the
/// bot token (Telegram.Bot's AuthHelpers), its age within <see cref="BotOptions.MiniAppSessionHours"/>. Anything else is a 401.
/// </summary>
public sealed class MiniAppAuth(IOptions<TelegramOptions> telegram, IOptions<BotOptions> options, TimeProvider time)
{
    public const string Scheme = "tma ";

    /// <summary>Telegram's clock and ours may differ a little: an auth_date this far ahead is still taken.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    public long? UserId(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.Ordinal)) return null;
        SortedDictionary<string, string> fields;
        try
        {
            fields = AuthHelpers.ParseValidateData(authorization[Scheme.Length..], telegram.Value.BotToken);
        }
        catch (SecurityException)
        {
            return null;
        }
        if (!fields.TryGetValue("auth_date", out var date) || !long.TryParse(date, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)) return null;
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(unix);
        if (age > TimeSpan.FromHours(options.Value.MiniAppSessionHours) || age < -Skew) return null;
        if (!fields.TryGetValue("user", out var user)) return null;
        try
        {
            using var json = JsonDocument.Parse(user);
            return json.RootElement.TryGetProperty("id", out var id) && id.TryGetInt64(out var userId) ? userId : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
