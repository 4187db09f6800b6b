using Microsoft.Extensions.Options;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Bot.Intake;

/// <summary>
/// Telegram__Mode=Polling: long-polls getUpdates. A batch is fully handled before its offset is
/// confirmed, chats in parallel, each chat in order. An update that failed for a passing reason stops its chat and
/// is not confirmed: the next getUpdates brings it (and what followed it) again, and those already handled are skipped.
/// </summary>
public sealed class PollingService(ITelegramBotClient bot, UpdateProcessor processor, IOptions<TelegramOptions> options, ILogger<PollingService> logger)
    : BackgroundService
{
    public static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.EditedMessage, UpdateType.CallbackQuery, UpdateType.PreCheckoutQuery];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Mode != TelegramMode.Polling) return;
        await StartupRetry.RunAsync(() => bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken: stoppingToken), logger, stoppingToken);
        var offset = 0;
        var retries = 0;
        var getUpdates = Backoff.UntilSuccess(e => e is RequestException or HttpRequestException, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30),
            (e, failures) =>
            {
                if (e is ApiRequestException { ErrorCode: 409 }) logger.LogError("Another instance is polling this bot token (409 Conflict); use webhook mode to run several replicas");
                else logger.LogWarning(e, "getUpdates failed ({Failures} in a row)", failures);
            });
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var updates = await getUpdates.ExecuteAsync(async ct => await bot.GetUpdates(offset, 100, 25, AllowedUpdates, ct), stoppingToken);
                if (updates.Length == 0) continue;
                var unhandled = await Task.WhenAll(updates.GroupBy(u => UpdateProcessor.ChatOf(u) ?? 0).Select(async chat =>
                {
                    foreach (var update in chat)
                    {
                        if (!await processor.ProcessAsync(update, stoppingToken)) return update.Id;
                    }
                    return (int?)null;
                }));
                var firstUnhandled = unhandled.Min();
                offset = firstUnhandled ?? updates[^1].Id + 1;
                if (firstUnhandled is not null)
                {
                    retries++;
                    logger.LogWarning("Update {UpdateId} will be fetched again ({Retries} in a row)", firstUnhandled, retries);
                    await Task.Delay(Backoff.Exponential(retries, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), stoppingToken);
                }
                else
                {
                    retries = 0;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
