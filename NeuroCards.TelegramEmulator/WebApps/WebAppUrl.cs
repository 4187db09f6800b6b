using NeuroCards.TelegramEmulator.Rules;

namespace NeuroCards.TelegramEmulator.WebApps;

/// <summary>Telegram opens only HTTPS Mini Apps; like its test environment, the emulator also takes http on this machine.</summary>
public static class WebAppUrl
{
    public static string Check(string? url, string what)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            throw new BotApiException(400, $"Bad Request: {what} Web App URL '{url}' is invalid: Only HTTPS links are allowed");
        return url!;
    }
}
