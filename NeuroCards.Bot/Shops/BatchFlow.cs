using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Payments;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Data;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Publishing;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Shops;
using NeuroCards.Core.Texts;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Shops;

/// <summary>
/// «🗂 Все карточки без видео»: the WB shop's cards without a video (listed before the update's transaction), how many
/// and what they cost, the template to make; one «🚀» charges them all and starts the batch, whose one message the worker
/// keeps in step; pause, resume, cancel (the cards not started are refunded at once) and the failures in detail.
/// </summary>
public sealed class BatchFlow(Batches batches, Core.Shops.Shops shops, ModelCatalog catalog, Ledger ledger, TextCatalog texts) : IHandlerTable
{
    private const string Verb = "batch";

    public IEnumerable<BotButton> Buttons => [new(Verb, HandleAsync)];

    public static string NewBatchData(Guid shopId) => $"{Verb}:new:{shopId:N}";

    /// <summary>The shop whose cards a «🗂» press asks for (so they are listed before the transaction), or null.</summary>
    public static Guid? NewBatchShop(string data) =>
        data.Split(':') is [Verb, "new", var id] && Guid.TryParseExact(id, "N", out var shopId) ? shopId : null;

    private async Task<bool> HandleAsync(BotContext ctx, string argument, CancellationToken cancellationToken)
    {
        var parts = argument.Split(':');
        if (parts.Length < 2 || !Guid.TryParseExact(parts[1], "N", out var id)) return false;
        switch (parts[0])
        {
            case "new":
                return await OfferAsync(ctx, id, cancellationToken);
            case "tpl" when parts.Length == 3 && parts[2] is "ugc" or "ad":
                await batches.SetTemplateAsync(id, ctx.UserId, parts[2] == "ad" ? VideoTemplate.Ad : VideoTemplate.Ugc, cancellationToken);
                return await ShowDraftAsync(ctx, id, cancellationToken);
            case "go":
                return await StartAsync(ctx, id, cancellationToken);
            case "pause":
                await ctx.Answer(await batches.PauseAsync(id, ctx.UserId, cancellationToken) ? ctx.T("batch.paused") : null, cancellationToken: cancellationToken);
                return true;
            case "resume":
                await ctx.Answer(await batches.ResumeAsync(id, ctx.UserId, cancellationToken) ? ctx.T("batch.resumed") : null, cancellationToken: cancellationToken);
                return true;
            case "cancel":
                await ctx.Answer(cancellationToken: cancellationToken);
                if (await batches.CancelAsync(id, ctx.UserId, cancellationToken) is { } cancelled)
                    await ctx.Reply(ctx.T("batch.cancelled_refund", ("credits", ctx.Credits(cancelled.Refunded)), ("balance", ctx.Credits(cancelled.Balance))),
                        cancellationToken: cancellationToken);
                return true;
            case "details":
                await ctx.Answer(cancellationToken: cancellationToken);
                var failures = await batches.FailuresAsync(id, ctx.UserId, cancellationToken);
                var lines = failures.Select(f => ctx.T("batch.failure", ("card", Core.Texts.Html.Escape(f.Article)),
                    ("reason", f.PublicationError ?? ctx.T("worker.fail." + FailureTelling.ToldAs(
                        DbText.TryParse<FailureClass>(f.ErrorClass, out var failure) ? failure : FailureClass.Unknown).ToDb()))));
                await ctx.Reply(ctx.T("batch.failures", ("lines", string.Join("\n", lines))), cancellationToken: cancellationToken);
                return true;
            default:
                return false;
        }
    }

    private async Task<bool> OfferAsync(BotContext ctx, Guid shopId, CancellationToken cancellationToken)
    {
        if (ctx.Prefetched.Catalogue is not { } listing || listing.ShopId != shopId
            || await shops.GetAsync(shopId, ctx.UserId, cancellationToken) is not { } shop) return false;
        await ctx.Answer(cancellationToken: cancellationToken);
        if (listing.Problem is { } problem)
        {
            await ctx.Reply(ctx.T(problem, ("reason", listing.Reason)), cancellationToken: cancellationToken);
            return true;
        }
        if (listing.WithoutVideo.Count == 0)
        {
            await ctx.Reply(ctx.T("batch.nothing", ("found", listing.Found)), cancellationToken: cancellationToken);
            return true;
        }
        var offered = await catalog.OfferedAsync(cancellationToken);
        if (offered.Count == 0)
        {
            await ctx.Reply(ctx.T("batch.no_model"), cancellationToken: cancellationToken);
            return true;
        }
        var model = offered[0];
        var batch = await batches.DraftAsync(ctx.UserId, ctx.ChatId, ctx.Language, shop, listing.WithoutVideo, listing.Found, VideoTemplate.Ad,
            model.Name, model.Price, cancellationToken);
        return await ShowDraftAsync(ctx, batch.Id, cancellationToken);
    }

    private async Task<bool> ShowDraftAsync(BotContext ctx, Guid id, CancellationToken cancellationToken)
    {
        if (await batches.GetAsync(id, ctx.UserId, cancellationToken) is not { State: "draft" } batch) return false;
        await ctx.Answer(cancellationToken: cancellationToken);
        var balance = await ledger.GetBalanceAsync(ctx.UserId, cancellationToken);
        var template = batch.Template == "ad" ? VideoTemplate.Ad : VideoTemplate.Ugc;
        string Mark(VideoTemplate t) => (t == template ? "✓ " : "") + ctx.T("template." + t.ToDb());
        var keyboard = new InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton.WithCallbackData(Mark(VideoTemplate.Ad), $"{Verb}:tpl:{id:N}:ad"),
                InlineKeyboardButton.WithCallbackData(Mark(VideoTemplate.Ugc), $"{Verb}:tpl:{id:N}:ugc"),
            ],
            [InlineKeyboardButton.WithCallbackData(ctx.T("batch.button.go", ("credits", ctx.Credits(batch.Cost))), $"{Verb}:go:{id:N}")],
            [InlineKeyboardButton.WithCallbackData(ctx.T("button.back"), "shops")],
        ]);
        var text = ctx.T("batch.offer", ("found", batch.Found), ("count", batch.Total), ("template", ctx.T("template." + template.ToDb())),
            ("price", ctx.Credits(batch.Price)), ("cost", ctx.Credits(batch.Cost)), ("balance", ctx.Credits(balance)));
        if (batch.Total >= CatalogueLister.MaxCards) text += "\n" + ctx.T("batch.capped", ("max", CatalogueLister.MaxCards));
        await ctx.Screen(text, keyboard, cancellationToken);
        return true;
    }

    private async Task<bool> StartAsync(BotContext ctx, Guid id, CancellationToken cancellationToken)
    {
        if (ctx.Callback?.Message is not { } screen) return false;
        switch (await batches.ConfirmAsync(id, ctx.UserId, screen.MessageId, cancellationToken))
        {
            case BatchConfirmation.Started started:
                await ctx.Answer(cancellationToken: cancellationToken);
                // The screen becomes the batch's progress message: no longer the chat's screen, its buttons are the batch's.
                await ctx.RetireScreenAsync(cancellationToken);
                ctx.Send(OutgoingMessage.Edit(ctx.ChatId, screen.MessageId, ctx.T("batch.started", ("credits", ctx.Credits(started.Cost)),
                    ("balance", ctx.Credits(started.Balance))), BatchKeyboard.For(texts, ctx.Language, id, "running", finished: false, failed: 0)));
                return true;
            case BatchConfirmation.BalanceShort shortOf:
                await ctx.Answer(cancellationToken: cancellationToken);
                await ctx.Reply(ctx.T("batch.short", ("cost", ctx.Credits(shortOf.Cost)), ("balance", ctx.Credits(shortOf.Balance))),
                    new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData(ctx.T("account.buy"), PayButton.Packs.Data)]]), cancellationToken: cancellationToken);
                return true;
            default:
                return false;
        }
    }
}
