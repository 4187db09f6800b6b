using NeuroCards.Core.Conversations;
using NeuroCards.Bot.Routing;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>
/// Step 1: a photo, or an image sent as a file, checked to decode and stored once for the order. A caption is taken
/// as the description; a new photo at the description step replaces the first.
/// </summary>
public sealed class PhotoStep(OrderPhotos photos, ArticleImport articles, Screens screens, DescriptionStep descriptions, IOptions<BotOptions> options,
    ILogger<PhotoStep> logger) : IStep
{
    public ConversationState State => ConversationState.Photo;

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var message = ctx.Message;
        string? fileId = null;
        long? size = null;
        if (message?.Photo is { Length: > 0 } sizes)
        {
            fileId = sizes[^1].FileId;
            size = sizes[^1].FileSize;
        }
        else if (message?.Document is { } document)
        {
            fileId = document.FileId;
            size = document.FileSize;
        }
        if (fileId is null && ctx.OrderId is { } draft && ctx.Text is { } text)
        {
            // An article number or a product link instead of a photo: the card's photos and text are taken from the marketplace.
            if (await articles.TryStartAsync(ctx, draft, text, cancellationToken)) return;
        }
        if (fileId is null || ctx.OrderId is not { } orderId)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("photo.hint"), cancellationToken: cancellationToken);
            return;
        }
        if (size > options.Value.MaxPhotoBytes)
        {
            await ctx.Reply(ctx.T("photo.too_big"), cancellationToken: cancellationToken);
            return;
        }

        var bytes = new MemoryStream();
        try
        {
            var file = await ctx.Bot.GetFile(fileId, cancellationToken);
            if (file.FileSize > options.Value.MaxPhotoBytes)
            {
                await ctx.Reply(ctx.T("photo.too_big"), cancellationToken: cancellationToken);
                return;
            }
            await ctx.Bot.DownloadFile(file, bytes, cancellationToken);
        }
        catch (Exception e) when (e is Telegram.Bot.Exceptions.RequestException or HttpRequestException)
        {
            logger.LogWarning(e, "Could not download the photo of order {OrderId}", orderId);
            await ctx.Reply(ctx.T("photo.failed"), cancellationToken: cancellationToken);
            return;
        }
        if (bytes.Length > options.Value.MaxPhotoBytes)
        {
            await ctx.Reply(ctx.T("photo.too_big"), cancellationToken: cancellationToken);
            return;
        }
        if (await photos.StoreAsync(ctx, orderId, bytes, fileId, cancellationToken) is { } problem)
        {
            await ctx.Reply(ctx.T(problem), cancellationToken: cancellationToken);
            return;
        }
        var replaced = ctx.State == ConversationState.Description;
        if (message?.Caption is { Length: > 0 } caption)
        {
            // A photo with a caption: the caption is the description.
            await descriptions.AcceptAsync(ctx, orderId, caption.Trim(), cancellationToken);
            return;
        }
        if (replaced) await ctx.Reply(ctx.T("photo.replaced"), cancellationToken: cancellationToken);
        await screens.Step(ctx, ConversationState.Description, cancellationToken);
    }
}
