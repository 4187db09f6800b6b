using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Hosting;
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
        services.AddValidatedOptions<TelegramOptions, TelegramOptions.Validator>(configuration, TelegramOptions.Section);

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
}
