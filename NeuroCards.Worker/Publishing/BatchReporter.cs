using NeuroCards.Core.Hosting;
using NeuroCards.Core.Publishing;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Worker.Publishing;

/// <summary>
/// Keeps each started batch's one message in step: «готово 120 из 500, на карточках 118, ошибок 2», with pause or
/// resume, cancel and details under it, edited when the figures move (every few seconds at most, by one worker: the
/// text is recorded before the edit, and a worker that records the same text again does not edit).
/// </summary>
public sealed class BatchReporter(Batches batches, ITelegramBotClient telegram, TextCatalog texts, ILogger<BatchReporter> logger)
    : PeriodicService(logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(3);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var batch in await batches.ActiveAsync(cancellationToken)) await ReportAsync(batch, cancellationToken);
    }

    public async Task ReportAsync(Batch batch, CancellationToken cancellationToken)
    {
        var progress = await batches.ProgressAsync(batch.Id, cancellationToken);
        var (text, keyboard) = Compose(batch, progress);
        if (!await batches.ShownAsync(batch.Id, text, progress.Finished, cancellationToken)) return;
        try
        {
            await telegram.EditMessageText(batch.ChatId, batch.MessageId!.Value, text, ParseMode.Html, replyMarkup: keyboard, cancellationToken: cancellationToken);
        }
        catch (Telegram.Bot.Exceptions.ApiRequestException e) when (e.Message.Contains("not modified", StringComparison.OrdinalIgnoreCase))
        {
        }
        catch (Exception e) when (e is Telegram.Bot.Exceptions.ApiRequestException or HttpRequestException)
        {
            logger.LogWarning(e, "Could not edit the message of batch {BatchId}", batch.Id);
        }
    }

    public (string Text, InlineKeyboardMarkup? Keyboard) Compose(Batch batch, BatchProgress progress)
    {
        string T(string key, params (string, object?)[] args) => texts.Get(batch.Language, key, args);
        var text = T("batch.progress", ("total", progress.Total), ("made", progress.Made), ("published", progress.Published), ("failed", progress.Failed));
        if (batch.State == "paused") text += "\n" + T("batch.paused");
        if (batch.State == "cancelled") text += "\n" + T("batch.cancelled");
        if (progress.Finished) text += "\n\n" + T("batch.finished");
        return (text, BatchKeyboard.For(texts, batch.Language, batch.Id, batch.State, progress.Finished, progress.Failed));
    }
}
