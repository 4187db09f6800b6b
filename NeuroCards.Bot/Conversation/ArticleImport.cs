using System.Globalization;
using System.Text.Json.Nodes;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Marketplaces.Wildberries;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Conversation;

/// <summary>
/// Starting from a Wildberries card: the seller sends an article number or a product link at the photo step; the card's
/// photos are shown to pick one, and the order continues at the template step with the card's text as its description.
/// </summary>
public sealed class ArticleImport(OrderDrafts drafts, WildberriesCatalog catalog, OrderPhotos photos, Screens screens, ILogger<ArticleImport> logger)
{
    private const string Key = "wbImport";

    /// <summary>False when the text is neither an article nor a marketplace link (the photo step answers it).</summary>
    public async Task<bool> TryStartAsync(BotContext ctx, Guid orderId, string text, CancellationToken cancellationToken)
    {
        if (WildberriesArticle.IsOtherMarketplace(text))
        {
            await ctx.Reply(ctx.T("import.other_marketplace"), cancellationToken: cancellationToken);
            return true;
        }
        if (!WildberriesArticle.TryParse(text, out var article)) return false;

        var imported = ctx.Prefetched.Card is { } early && early.Article == article ? early : await LoadAsync(article, cancellationToken);
        if (imported.Card is not { PhotoCount: > 0 } card || imported.Photos.Count == 0)
        {
            logger.LogInformation("Wildberries card {Article} not found (or without photos)", article);
            await ctx.Reply(ctx.T("import.not_found", ("article", article)), cancellationToken: cancellationToken);
            return true;
        }
        // The card's photos are shown right after the commit, before the screen to pick one. They are not kept in the
        // outbox (bytes, not text): if this replica dies in between, the screen still comes, with the photos' numbers.
        ctx.OnCommitted(ct => ShowPhotosAsync(ctx.Bot, ctx.ChatId, article, imported.Photos, ct));
        ctx.Session.Data[Key] = new JsonObject { ["article"] = article, ["description"] = card.OrderDescription() };
        var buttons = Enumerable.Range(1, imported.Photos.Count).Select(i => InlineKeyboardButton.WithCallbackData(i.ToString(CultureInfo.InvariantCulture), $"wbpick:{i}")).ToArray();
        await ctx.Reply(ctx.T("import.pick", ("title", Html.Escape(card.Title)), ("photos", imported.Photos.Count)),
            new InlineKeyboardMarkup([buttons, [InlineKeyboardButton.WithCallbackData(ctx.T("button.back"), "back")]]), cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>The card and its photos from Wildberries: slow (a request per photo), so done before the update's transaction when it can.</summary>
    public async Task<ImportedCard> LoadAsync(long article, CancellationToken cancellationToken)
    {
        var card = await catalog.GetCardAsync(article, cancellationToken);
        var photos = new List<(int, byte[])>();
        for (var i = 1; i <= (card?.PhotoCount ?? 0); i++)
        {
            if (await catalog.GetPhotoAsync(article, i, cancellationToken) is { } photo) photos.Add((i, photo));
        }
        return new ImportedCard(article, card, photos);
    }

    private static async Task ShowPhotosAsync(ITelegramBotClient bot, long chatId, long article, IReadOnlyList<(int Index, byte[] Photo)> photos, CancellationToken cancellationToken)
    {
        var streams = photos.Select(p => (p.Index, Stream: new MemoryStream(p.Photo))).ToList();
        try
        {
            var shown = streams.Select(p => (IAlbumInputMedia)new InputMediaPhoto(InputFile.FromStream(p.Stream, $"{article}-{p.Index}.webp"))
            { Caption = p.Index.ToString(CultureInfo.InvariantCulture) }).ToList();
            if (shown.Count == 1) await bot.SendPhoto(chatId, ((InputMediaPhoto)shown[0]).Media, caption: "1", cancellationToken: cancellationToken);
            else await bot.SendMediaGroup(chatId, shown, cancellationToken: cancellationToken);
        }
        finally
        {
            foreach (var (_, stream) in streams) await stream.DisposeAsync();
        }
    }

    /// <summary>
    /// Before the update's transaction: a press of "1"…"5" under the card shown last fetches and stores that photo now.
    /// Null when the press is not such a pick.
    /// </summary>
    public async Task<PickedPhoto?> PrefetchPickAsync(ConversationPeek conversation, CallbackQuery query, CancellationToken cancellationToken)
    {
        if (query.Data?.Split(':') is not ["wbpick", var argument] || !int.TryParse(argument, out var index)
            || conversation.State != ConversationState.Photo || conversation.OrderId is not { } orderId
            || conversation.MenuMessageId is null || conversation.MenuMessageId != query.Message?.MessageId
            || conversation.Data[Key]?["article"] is not JsonValue value || !value.TryGetValue(out long article))
        {
            return null;
        }
        return await FetchPickAsync(orderId, article, index, cancellationToken);
    }

    private async Task<PickedPhoto> FetchPickAsync(Guid orderId, long article, int index, CancellationToken cancellationToken)
    {
        if (await catalog.GetPhotoAsync(article, index, cancellationToken) is not { } photo) return new PickedPhoto(orderId, article, index, null);
        using var bytes = new MemoryStream(photo.Length);
        bytes.Write(photo);
        return new PickedPhoto(orderId, article, index, await photos.StoreAsync(orderId, bytes, null, cancellationToken));
    }

    /// <summary>"1"…"5" under the card's photos: that photo becomes the order's, the card's text its description.</summary>
    public async Task<bool> PickAsync(BotContext ctx, string argument, CancellationToken cancellationToken)
    {
        if (ctx.State != ConversationState.Photo || ctx.OrderId is not { } orderId || !int.TryParse(argument, out var index)
            || ctx.Session.Data[Key] is not JsonObject import || !ctx.OnCurrentScreen)
        {
            return false;
        }
        await ctx.Answer(cancellationToken: cancellationToken);
        var article = import["article"]!.GetValue<long>();
        var picked = ctx.Prefetched.Pick is { } early && early.OrderId == orderId && early.Article == article && early.Index == index
            ? early
            : await FetchPickAsync(orderId, article, index, cancellationToken);
        if (picked.Upload is not { } upload)
        {
            await ctx.Reply(ctx.T("import.photo_failed"), cancellationToken: cancellationToken);
            return true;
        }
        if (upload.Problem is { } problem)
        {
            await ctx.Reply(ctx.T(problem), cancellationToken: cancellationToken);
            return true;
        }
        await photos.RecordAsync(upload, cancellationToken);
        await drafts.SetAsync(orderId, DraftFields.Description,
            import["description"]!.GetValue<string>(), cancellationToken);
        await drafts.SetAsync(orderId, DraftFields.Article, article.ToString(CultureInfo.InvariantCulture), cancellationToken);
        ctx.Session.Data.Remove(Key);
        await ctx.Reply(ctx.T("import.taken", ("n", index)), cancellationToken: cancellationToken);
        await screens.Template(ctx, cancellationToken);
        return true;
    }
}
