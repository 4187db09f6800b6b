using Microsoft.Extensions.Options;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Worker.Alerts;

/// <summary>A message to every Telegram__AdminIds chat (and a critical log line): what needs an operator now.</summary>
public sealed class OperatorAlerts(ITelegramBotClient telegram, TextCatalog texts, IOptions<TelegramOptions> telegramOptions, ILogger<OperatorAlerts> logger)
{
    /// <param name="args">The text's values, HTML-escaped here.</param>
    public async Task SendAsync(string textKey, CancellationToken cancellationToken, params (string Name, object? Value)[] args)
    {
        logger.LogCritical("Operator attention ({Alert}): {Details}", textKey, string.Join(", ", args.Select(a => $"{a.Name}={a.Value}")));
        var text = texts.Get("ru", textKey, args.Select(a => (a.Name, (object?)Html.Escape(a.Value?.ToString() ?? ""))).ToArray());
        foreach (var admin in telegramOptions.Value.Admins)
        {
            try
            {
                await telegram.SendMessage(admin, text, ParseMode.Html, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (e is ApiRequestException or HttpRequestException or RequestException)
            {
                logger.LogWarning(e, "Could not alert admin {AdminId}", admin);
            }
        }
    }
}
