using Microsoft.Extensions.Options;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Storage;
using Telegram.Bot;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>Step 1: a photo, or an image sent as a file; stored once for the order.</summary>
public sealed class PhotoStep(IMediaStore store, Screens screens, IOptions<BotOptions> options, ILogger<PhotoStep> logger) : IStep
{
    public string State => States.Photo;

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
        var kind = ImageSniffer.Detect(bytes.GetBuffer().AsSpan(0, (int)Math.Min(bytes.Length, ImageSniffer.HeaderLength)));
        if (kind is null)
        {
            await ctx.Reply(ctx.T("photo.not_image"), cancellationToken: cancellationToken);
            return;
        }

        var key = MediaKeys.Input(orderId, kind.Value);
        bytes.Position = 0;
        await store.PutAsync(key, bytes, ImageSniffer.ContentType(kind.Value), cancellationToken);
        await OrderDrafts.SetAsync(ctx.Session.Connection, ctx.Session.Transaction, orderId, "photo_key", key, cancellationToken);
        await OrderDrafts.SetAsync(ctx.Session.Connection, ctx.Session.Transaction, orderId, "photo_file_id", fileId, cancellationToken);
        await screens.Step(ctx, States.Description, cancellationToken);
    }
}
