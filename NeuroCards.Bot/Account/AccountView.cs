using NeuroCards.Bot.Conversation;
using NeuroCards.Core.Money;
using NeuroCards.Core.Storage;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Account;

/// <summary>Balance, recent orders with their status, re-sending finished videos, buying credits, language.</summary>
public sealed class AccountView(Ledger ledger, IMediaStore store, NpgsqlDataSource dataSource)
{
    private sealed record OrderLine(Guid Id, DateTime CreatedAt, string Status, string? Template, int? Count);

    private sealed record FinishedVideo(Guid Id, Guid OrderId, int Index, string? TelegramFileId, string? ResultKey);

    public async Task ShowAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var balance = await ledger.GetBalanceAsync(ctx.UserId, cancellationToken);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var orders = (await conn.QueryAsync<OrderLine>(new CommandDefinition("""
            select id, created_at, status, template, count from orders
            where user_id = @UserId and status <> 'draft' order by created_at desc limit 10
            """, new { ctx.UserId }, cancellationToken: cancellationToken))).ToList();
        var videos = (await conn.QueryAsync<FinishedVideo>(new CommandDefinition("""
            select j.id, j.order_id, j.index, j.telegram_file_id, j.result_key from jobs j
            where j.user_id = @UserId and j.result_key is not null order by j.created_at desc limit 6
            """, new { ctx.UserId }, cancellationToken: cancellationToken))).ToList();

        var lines = orders.Count == 0 ? ctx.T("account.no_orders") : string.Join("\n", orders.Select(o => ctx.T("account.order_line",
            ("date", o.CreatedAt.ToString("dd.MM")), ("template", ctx.T("template." + (o.Template ?? "ugc"))),
            ("videos", ctx.Plural("videos", o.Count ?? 0)), ("status", ctx.T("account.status." + o.Status)))));
        var rows = new List<InlineKeyboardButton[]>();
        rows.AddRange(videos.Select((v, i) => new[] { InlineKeyboardButton.WithCallbackData(ctx.T("account.resend", ("n", i + 1)), $"resend:{v.Id:N}") }).Chunk(3)
            .Select(chunk => chunk.SelectMany(c => c).ToArray()));
        rows.Add([InlineKeyboardButton.WithCallbackData(ctx.T("account.buy"), "pay:packs")]);
        rows.Add([InlineKeyboardButton.WithCallbackData(ctx.T("account.language"), "lang")]);
        rows.Add([InlineKeyboardButton.WithCallbackData(ctx.T("worker.button.menu"), "menu")]);
        await ctx.Screen(ctx.T("account.text", ("credits", ctx.Credits(balance)), ("orders", lines)), new InlineKeyboardMarkup(rows), cancellationToken);
    }

    /// <summary>Sends a finished video again: by its Telegram file_id, or from storage when Telegram no longer has it.</summary>
    public async Task ResendAsync(BotContext ctx, Guid jobId, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var video = await conn.QuerySingleOrDefaultAsync<FinishedVideo>(new CommandDefinition(
            "select id, order_id, index, telegram_file_id, result_key from jobs where id = @jobId and user_id = @UserId",
            new { jobId, ctx.UserId }, cancellationToken: cancellationToken));
        if (video is null || (video.TelegramFileId is null && video.ResultKey is null))
        {
            await ctx.Reply(ctx.T("account.resend_missing"), cancellationToken: cancellationToken);
            return;
        }
        if (video.TelegramFileId is not null)
        {
            try
            {
                await ctx.Bot.SendVideo(ctx.ChatId, InputFile.FromFileId(video.TelegramFileId), supportsStreaming: true, cancellationToken: cancellationToken);
                return;
            }
            catch (Telegram.Bot.Exceptions.ApiRequestException) when (video.ResultKey is not null)
            {
                // Fall back to our own copy.
            }
        }
        await using var media = await store.OpenReadAsync(video.ResultKey!, cancellationToken);
        if (media is null)
        {
            await ctx.Reply(ctx.T("account.resend_missing"), cancellationToken: cancellationToken);
            return;
        }
        await ctx.Bot.SendVideo(ctx.ChatId, InputFile.FromStream(media.Content, "neurocards.mp4"), supportsStreaming: true, cancellationToken: cancellationToken);
    }
}
