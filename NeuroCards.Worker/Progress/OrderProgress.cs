using System.Text;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Texts;
using Npgsql;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Worker.Progress;

/// <summary>
/// Keeps an order's one status message in step with its jobs: edited at most once per
/// <see cref="MinInterval"/> (always when the order finishes), never to identical text.
/// </summary>
public sealed class OrderProgress(OrderTracking tracking, ITelegramBotClient telegram, TextCatalog texts, OrderClosing closing,
    ILogger<OrderProgress> logger)
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(3);

    public async Task UpdateAsync(Guid orderId, CancellationToken cancellationToken)
    {
        try
        {
            await UpdateCoreAsync(orderId, cancellationToken);
        }
        catch (Exception e) when (e is ApiRequestException or HttpRequestException or NpgsqlException)
        {
            // Progress is a courtesy: a failed edit must never hold up the job itself.
            logger.LogWarning(e, "Could not update the progress of order {OrderId}", orderId);
        }
    }

    private async Task UpdateCoreAsync(Guid orderId, CancellationToken cancellationToken)
    {
        if (await tracking.GetProgressAsync(orderId, cancellationToken) is not { } progress) return;
        var (text, finished) = Compose(progress.Order, progress.Jobs, progress.Ahead, DateTime.UtcNow);
        if (finished) await closing.CloseAsync(orderId, cancellationToken);
        if (text == progress.Order.StatusText) return;
        if (!await tracking.TryClaimStatusEditAsync(orderId, text, finished, MinInterval, cancellationToken)) return;
        try
        {
            await telegram.EditMessageText(progress.Order.ChatId, progress.Order.StatusMessageId!.Value, text, ParseMode.Html, cancellationToken: cancellationToken);
        }
        catch (ApiRequestException e) when (e.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
        }
    }

    internal (string Text, bool Finished) Compose(OrderStatusView order, IReadOnlyList<JobProgress> jobs, int ahead, DateTime now)
    {
        var lang = order.Language;
        var sb = new StringBuilder(texts.Get(lang, "worker.progress.header", ("videos", texts.Plural(lang, "videos", order.Count))));
        void Line(string key, int n, params (string, object?)[] args)
        {
            if (n > 0) sb.Append('\n').Append(texts.Get(lang, key, [("n", n), .. args]));
        }

        var failed = jobs.Count(j => j.Status == JobStatus.Failed);
        var done = jobs.Count(j => j.Status == JobStatus.Delivered);
        var undelivered = jobs.Count(j => j.Status == JobStatus.Undeliverable);
        var active = jobs.Where(j => j.Status is JobStatus.Queued or JobStatus.Running).ToList();
        var rendering = active.Where(j => j.Stage == JobStage.Render).ToList();
        var renderStart = rendering.Select(j => j.ProviderCreatedAt ?? now).DefaultIfEmpty(now).Min();

        Line("worker.progress.queued", active.Count(j => j.Stage == JobStage.Queued), ("position", ahead));
        Line("worker.progress.prompt", active.Count(j => j.Stage == JobStage.Prompt));
        var minutes = Math.Max(0, (int)(now - renderStart).TotalMinutes);
        Line(minutes == 0 ? "worker.progress.render_started" : "worker.progress.render", rendering.Count, ("minutes", minutes));
        Line("worker.progress.deliver", active.Count(j => j.Stage is JobStage.Store or JobStage.Deliver));
        Line("worker.progress.done", done);
        Line("worker.progress.failed", failed);
        Line("worker.progress.undelivered", undelivered);

        var finished = active.Count == 0;
        if (finished)
        {
            var key = failed + undelivered > 0 ? (done == 0 && undelivered == 0 ? "worker.progress.finished_failed" : "worker.progress.finished_partly")
                : order.Count == 1 ? "worker.progress.finished_one" : "worker.progress.finished";
            sb.Append("\n\n").Append(texts.Get(lang, key));
        }
        return (sb.ToString(), finished);
    }
}
