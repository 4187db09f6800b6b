using System.Globalization;
using Microsoft.Extensions.Options;
using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Payments;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Data;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Texts;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Account;

/// <summary>Balance, recent orders with their status, re-sending finished videos, buying credits, language.</summary>
public sealed class AccountView(Ledger ledger, OrderHistory history, TextCatalog texts, IOptions<BotOptions> options)
{
    /// <summary>Our sellers are in Russia: times read in Moscow time.</summary>
    private static readonly TimeZoneInfo Moscow = TryZone("Europe/Moscow") ?? TimeZoneInfo.CreateCustomTimeZone("MSK", TimeSpan.FromHours(3), "MSK", "MSK");

    private static TimeZoneInfo? TryZone(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException) { return null; }
    }

    public static string MoscowTime(DateTime utc, string format) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Moscow).ToString(format, CultureInfo.InvariantCulture);

    public async Task ShowAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var balance = await ledger.GetBalanceAsync(ctx.UserId, cancellationToken);
        var orders = await history.RecentAsync(ctx.UserId, 10, cancellationToken);
        var videos = await history.FinishedVideosAsync(ctx.UserId, 6, cancellationToken);

        // Orders are numbered as listed (№1 the latest), and the re-send buttons say which order and which video.
        var number = orders.Select((o, i) => (o.Id, N: i + 1)).ToDictionary(x => x.Id, x => x.N);
        var lines = orders.Count == 0 ? ctx.T("account.no_orders") : string.Join("\n", orders.Select(o => ctx.T("account.order_line",
            ("n", number[o.Id]), ("time", MoscowTime(o.CreatedAt, "dd.MM HH:mm")),
            ("product", Html.Escape(ProductName.Of(o.Description, 30))), ("template", ctx.T("template." + (o.Template ?? VideoTemplate.Ugc).ToDb())),
            ("videos", ctx.Plural("videos", o.Count ?? 0)), ("status", ctx.T("account.status." + o.Status)))));
        var rows = new List<InlineKeyboardButton[]>();
        rows.AddRange(videos.Where(v => number.ContainsKey(v.OrderId))
            .Select(v => InlineKeyboardButton.WithCallbackData(ctx.T("account.resend", ("order", number[v.OrderId]), ("n", v.Index + 1), ("total", v.Total)), $"resend:{v.Id:N}"))
            .Chunk(2).Select(chunk => chunk.ToArray()));
        rows.Add([InlineKeyboardButton.WithCallbackData(ctx.T("account.buy"), PayButton.Packs.Data)]);
        if (options.Value.MiniAppUrl is { } app) rows.Add([InlineKeyboardButton.WithWebApp(ctx.T("app.button.open"), new WebAppInfo(app))]);
        rows.Add([InlineKeyboardButton.WithCallbackData(ctx.T("shops.button.open"), "shops")]);
        rows.Add([InlineKeyboardButton.WithCallbackData(ctx.T("account.language"), "lang")]);
        rows.Add([InlineKeyboardButton.WithCallbackData(ctx.T("worker.button.menu"), "menu")]);
        await ctx.Screen(ctx.T("account.text", ("credits", ctx.Credits(balance)), ("orders", lines)), new InlineKeyboardMarkup(rows), cancellationToken);
    }

    /// <summary>Sends a finished video again: by its Telegram file_id, or from storage when Telegram no longer has it.</summary>
    public async Task ResendAsync(BotContext ctx, Guid jobId, CancellationToken cancellationToken)
    {
        var video = await history.FinishedVideoAsync(jobId, ctx.UserId, cancellationToken);
        if (video is null || (video.TelegramFileId is null && video.ResultKey is null))
        {
            await ctx.Reply(ctx.T("account.resend_missing"), cancellationToken: cancellationToken);
            return;
        }
        ctx.Send(VideoResend.Message(ctx.ChatId, video, texts, ctx.Language));
    }
}
