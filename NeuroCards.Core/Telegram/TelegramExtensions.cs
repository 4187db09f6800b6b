using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuroCards.Core.Hosting;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace NeuroCards.Core.Telegram;

public static partial class TelegramExtensions
{
    /// <summary>
    /// The Telegram.Bot client as a typed HttpClient. Timeouts are sized for video uploads (the
    /// standard handler's 30 s would cut them), and POSTs are not retried by the handler: Telegram.Bot
    /// itself retries 429s, and repeating a send on a 5xx could post a message twice.
    /// </summary>
    public static IServiceCollection AddTelegramClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelegramOptions>().Bind(configuration.GetSection(TelegramOptions.Section))
            .Validate(o => TokenPattern().IsMatch(o.BotToken), "Telegram__BotToken is required: the bot token from @BotFather, like 123456789:AA…")
            .Validate(o => Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out _), "Telegram__ApiBaseUrl must be an absolute URL (default https://api.telegram.org)")
            .Validate(o => o.Mode is "Polling" or "Webhook", "Telegram__Mode must be Polling or Webhook")
            .Validate(o => o.Mode != "Webhook" || Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out var u) && u.Scheme == "https" || (o.WebhookUrl ?? "").StartsWith("http://127.0.0.1", StringComparison.Ordinal),
                "Telegram__WebhookUrl is required in webhook mode: the public https URL of /telegram/webhook")
            .Validate(o => o.Mode != "Webhook" || (o.WebhookSecret ?? "").Length >= 16,
                "Telegram__WebhookSecret is required in webhook mode: a random secret of at least 16 characters")
            .Validate(o => (o.AdminIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(id => long.TryParse(id, out _)),
                "Telegram__AdminIds must be comma-separated Telegram user ids")
            .ValidateOnStart();

        var client = services.AddHttpClient("telegram", http => http.Timeout = Timeout.InfiniteTimeSpan);
        client.WithLargeTransferResilience();
        client.AddTypedClient<ITelegramBotClient>((http, sp) =>
            {
                var o = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
                return new TelegramBotClient(new TelegramBotClientOptions(o.BotToken, o.ApiBaseUrl.TrimEnd('/'))
                {
                    RetryThreshold = 60,
                    RetryCount = 3,
                }, http);
            });
        return services;
    }

    [GeneratedRegex(@"^\d{3,}:[A-Za-z0-9_-]{3,}$")]
    private static partial Regex TokenPattern();
}
