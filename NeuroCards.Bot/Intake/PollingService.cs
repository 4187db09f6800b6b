using Microsoft.Extensions.Options;
using NeuroCards.Core.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Bot.Intake;

/// <summary>
/// Telegram__Mode=Polling: long-polls getUpdates. A batch is fully handled before its offset is
/// confirmed, chats in parallel, each chat in order.
/// </summary>
public sealed class PollingService(ITelegramBotClient bot, UpdateProcessor processor, IOptions<TelegramOptions> options, ILogger<PollingService> logger)
    : BackgroundService
{
    public static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.EditedMessage, UpdateType.CallbackQuery, UpdateType.PreCheckoutQuery];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Mode != "Polling") return;
        await StartupRetry.RunAsync(() => bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken: stoppingToken), logger, stoppingToken);
        var offset = 0;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var updates = await bot.GetUpdates(offset, 100, 25, AllowedUpdates, stoppingToken);
                failures = 0;
                if (updates.Length == 0) continue;
                await Task.WhenAll(updates.GroupBy(u => UpdateProcessor.ChatOf(u) ?? 0).Select(async chat =>
                {
                    foreach (var update in chat) await processor.ProcessAsync(update, stoppingToken);
                }));
                offset = updates[^1].Id + 1;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RequestException or HttpRequestException)
            {
                failures++;
                if (e is ApiRequestException { ErrorCode: 409 }) logger.LogError("Another instance is polling this bot token (409 Conflict); use webhook mode to run several replicas");
                else logger.LogWarning(e, "getUpdates failed ({Failures} in a row)", failures);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, failures))), stoppingToken);
            }
        }
    }
}
