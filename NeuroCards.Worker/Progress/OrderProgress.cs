using System.Text;
using Dapper;
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
public sealed class OrderProgress(NpgsqlDataSource dataSource, ITelegramBotClient telegram, TextCatalog texts, OrderClosing closing,
    ILogger<OrderProgress> logger)
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(3);

    internal sealed record OrderState(long ChatId, int? StatusMessageId, string Language, int Count, string? StatusText);

    internal sealed record JobState(string Status, string Stage, DateTime? ProviderCreatedAt, DateTime CreatedAt);

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
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var order = await conn.QuerySingleOrDefaultAsync<OrderState>(new CommandDefinition(
            "select chat_id, status_message_id, language, count, status_text from orders where id = @orderId",
            new { orderId }, cancellationToken: cancellationToken));
        if (order?.StatusMessageId is null) return;

        var jobs = (await conn.QueryAsync<JobState>(new CommandDefinition(
            "select status, stage, provider_created_at, created_at from jobs where order_id = @orderId",
            new { orderId }, cancellationToken: cancellationToken))).AsList();
        if (jobs.Count == 0) return;

        var firstQueued = jobs.Where(j => j.Stage == "queued").Select(j => (DateTime?)j.CreatedAt).Min();
        var ahead = firstQueued is null ? 0 : await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "select count(*)::int from jobs where stage = 'queued' and status = 'queued' and created_at < @firstQueued and order_id <> @orderId",
            new { firstQueued, orderId }, cancellationToken: cancellationToken));

        var (text, finished) = Compose(order, jobs, ahead, DateTime.UtcNow);
        if (finished) await closing.CloseAsync(orderId, cancellationToken);
        if (text == order.StatusText) return;

        // Claim the right to edit: one writer per interval, and only if the text moved on.
        var claimed = await conn.ExecuteAsync(new CommandDefinition("""
            update orders set status_text = @text, status_updated_at = now(),
                              status = case when @finished then 'completed' else status end, updated_at = now()
            where id = @orderId and status_text is distinct from @text
              and (@finished or status_updated_at is null or status_updated_at < now() - @MinInterval)
            """, new { orderId, text, finished, MinInterval }, cancellationToken: cancellationToken));
        if (claimed == 0) return;

        try
        {
            await telegram.EditMessageText(order.ChatId, order.StatusMessageId.Value, text, ParseMode.Html, cancellationToken: cancellationToken);
        }
        catch (ApiRequestException e) when (e.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
        }
    }

    internal (string Text, bool Finished) Compose(OrderState order, IReadOnlyList<JobState> jobs, int ahead, DateTime now)
    {
        var lang = order.Language;
        var sb = new StringBuilder(texts.Get(lang, "worker.progress.header", ("videos", texts.Plural(lang, "videos", order.Count))));
        void Line(string key, int n, params (string, object?)[] args)
        {
            if (n > 0) sb.Append('\n').Append(texts.Get(lang, key, [("n", n), .. args]));
        }

        var failed = jobs.Count(j => j.Status == "failed");
        var done = jobs.Count(j => j.Status is "delivered" or "undeliverable");
        var active = jobs.Where(j => j.Status is "queued" or "running").ToList();
        var rendering = active.Where(j => j.Stage == "render").ToList();
        var renderStart = rendering.Select(j => j.ProviderCreatedAt ?? now).DefaultIfEmpty(now).Min();

        Line("worker.progress.queued", active.Count(j => j.Stage == "queued"), ("position", ahead));
        Line("worker.progress.prompt", active.Count(j => j.Stage == "prompt"));
        var minutes = Math.Max(0, (int)(now - renderStart).TotalMinutes);
        Line(minutes == 0 ? "worker.progress.render_started" : "worker.progress.render", rendering.Count, ("minutes", minutes));
        Line("worker.progress.deliver", active.Count(j => j.Stage is "store" or "deliver"));
        Line("worker.progress.done", done);
        Line("worker.progress.failed", failed);

        var finished = active.Count == 0;
        if (finished)
        {
            var key = failed > 0 ? (done == 0 ? "worker.progress.finished_failed" : "worker.progress.finished_partly")
                : order.Count == 1 ? "worker.progress.finished_one" : "worker.progress.finished";
            sb.Append("\n\n").Append(texts.Get(lang, key));
        }
        return (sb.ToString(), finished);
    }
}
