using System.Text.Json.Nodes;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Marketplaces.Wildberries;
using NeuroCards.Core.Publishing;
using NeuroCards.Core.Shops;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Shops;

/// <summary>
/// «📤 На карточку» under an order's closing message: which video (when there are several), which shop (when there are
/// several), which card (known when the order started from a WB article; else the seller sends it), then one
/// publication in the queue. The worker's message about it turns into «✅ на карточке» or the marketplace's reason.
/// </summary>
public sealed class PublishFlow(Publications publications, Core.Shops.Shops shops) : IHandlerTable
{
    private const string Key = "publish";
    private const int MaxCardLength = 80;

    public IEnumerable<BotButton> Buttons =>
    [
        new("pub", async (ctx, id, ct) => Guid.TryParseExact(id, "N", out var orderId) && await StartAsync(ctx, orderId, ct)),
        new("pubv", async (ctx, id, ct) => Guid.TryParseExact(id, "N", out var jobId) && await VideoAsync(ctx, jobId, ct)),
        new("pubs", async (ctx, id, ct) => Guid.TryParseExact(id, "N", out var shopId) && await ShopAsync(ctx, shopId, ct)),
    ];

    public IEnumerable<MessageRoute> Messages =>
        [new(ctx => AwaitedText.Get(ctx.Session.Data, Key, ctx.State)?["shop"] is not null && ctx.Text is { Length: > 0 } t && !t.StartsWith('/'), CardAsync)];

    private async Task<bool> StartAsync(BotContext ctx, Guid orderId, CancellationToken cancellationToken)
    {
        var videos = await publications.PublishableAsync(orderId, ctx.UserId, cancellationToken);
        if (videos.Count == 0)
        {
            await ctx.Answer(ctx.T("pub.no_videos"), alert: true, cancellationToken: cancellationToken);
            return true;
        }
        if (videos.Count == 1) return await VideoAsync(ctx, videos[0].JobId, cancellationToken);
        await ctx.Answer(cancellationToken: cancellationToken);
        await ctx.Reply(ctx.T("pub.which_video"), new InlineKeyboardMarkup(videos.Select(v =>
            InlineKeyboardButton.WithCallbackData(ctx.T("pub.video", ("n", v.Index + 1)), $"pubv:{v.JobId:N}")).Chunk(3).Select(r => r.ToArray())),
            cancellationToken: cancellationToken);
        return true;
    }

    private async Task<bool> VideoAsync(BotContext ctx, Guid jobId, CancellationToken cancellationToken)
    {
        if (await publications.PublishableVideoAsync(jobId, ctx.UserId, cancellationToken) is null) return false;
        var list = await shops.ListAsync(ctx.UserId, cancellationToken);
        ctx.Session.Data[Key] = new JsonObject { ["job"] = jobId.ToString("N") };
        if (list.Count == 0)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("pub.no_shops"), new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData(ctx.T("shops.button.open"), "shops")]]),
                cancellationToken: cancellationToken);
            return true;
        }
        if (list.Count == 1) return await ShopAsync(ctx, list[0].Id, cancellationToken);
        await ctx.Answer(cancellationToken: cancellationToken);
        await ctx.Reply(ctx.T("pub.which_shop"), new InlineKeyboardMarkup(list.Select(s =>
            new[] { InlineKeyboardButton.WithCallbackData(ShopsFlow.Name(ctx, s), $"pubs:{s.Id:N}") })), cancellationToken: cancellationToken);
        return true;
    }

    private async Task<bool> ShopAsync(BotContext ctx, Guid shopId, CancellationToken cancellationToken)
    {
        if (ctx.Session.Data[Key]?["job"]?.ToString() is not { } job || !Guid.TryParseExact(job, "N", out var jobId)
            || await publications.PublishableVideoAsync(jobId, ctx.UserId, cancellationToken) is not { } video
            || await shops.GetAsync(shopId, ctx.UserId, cancellationToken) is not { } shop)
        {
            return false;
        }
        await ctx.Answer(cancellationToken: cancellationToken);
        if (shop.Kind == Marketplace.Wb && video.Article is { } article)
        {
            await RequestAsync(ctx, shop, jobId, article, cancellationToken);
            return true;
        }
        AwaitedText.Set(ctx.Session.Data, Key, new JsonObject { ["job"] = job, ["shop"] = shop.Id.ToString("N") }, ctx.State);
        await ctx.Reply(ctx.T("pub.ask_card." + shop.Marketplace), cancellationToken: cancellationToken);
        return true;
    }

    private async Task CardAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var state = (JsonObject)ctx.Session.Data[Key]!;
        if (!Guid.TryParseExact(state["job"]?.ToString(), "N", out var jobId) || !Guid.TryParseExact(state["shop"]?.ToString(), "N", out var shopId)
            || await shops.GetAsync(shopId, ctx.UserId, cancellationToken) is not { } shop)
        {
            ctx.Session.Data.Remove(Key);
            await ctx.Reply(ctx.T("pub.gone"), cancellationToken: cancellationToken);
            return;
        }
        if (CardOf(shop, ctx.Text!) is not { } card)
        {
            await ctx.Reply(ctx.T("pub.bad_card." + shop.Marketplace), cancellationToken: cancellationToken);
            return;
        }
        await RequestAsync(ctx, shop, jobId, card, cancellationToken);
    }

    /// <summary>The card a seller named, as its marketplace knows it (a WB nmID from an article or link; Ozon's offer_id, Market's offerId), or null.</summary>
    public static string? CardOf(Shop shop, string text) => shop.Kind == Marketplace.Wb
        ? WildberriesArticle.TryParse(text, out var nmId) ? nmId.ToString(System.Globalization.CultureInfo.InvariantCulture) : null
        : text.Length is > 0 and <= MaxCardLength && !text.Any(char.IsControl) ? text : null;

    private async Task RequestAsync(BotContext ctx, Shop shop, Guid jobId, string card, CancellationToken cancellationToken)
    {
        ctx.Session.Data.Remove(Key);
        var publication = await publications.RequestAsync(ctx.UserId, ctx.ChatId, ctx.Language, jobId, shop, card, cancellationToken);
        // Asked before and already there (or on its way): said once, nothing sent again.
        if (publication.Status == PublicationState.Published) await ctx.Reply(ctx.T("pub.already", ("card", Core.Texts.Html.Escape(card))), cancellationToken: cancellationToken);
    }
}
