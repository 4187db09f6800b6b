using Microsoft.Extensions.Options;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Storage;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NeuroCards.Bot.Conversation;

/// <summary>
/// An image becomes the order's photo: downloaded from Telegram, checked to be an image that decodes, stored once,
/// recorded on the draft. The slow part (download and storage) runs before the update's transaction when it can
/// (<see cref="UpdatePrefetch"/>).
/// </summary>
public sealed class OrderPhotos(OrderDrafts drafts, IMediaStore store, ITelegramBotClient bot, IOptions<BotOptions> options, ILogger<OrderPhotos> logger)
{
    /// <summary>The photo, or the image sent as a file, that a message carries.</summary>
    public static (string FileId, long? Size)? Carried(Message? message) => message switch
    {
        { Photo: { Length: > 0 } sizes } => (sizes[^1].FileId, sizes[^1].FileSize),
        { Document: { } document } => (document.FileId, document.FileSize),
        _ => null,
    };

    /// <summary>Downloads the file from Telegram and stores it for the order.</summary>
    public async Task<PhotoUpload> UploadAsync(Guid orderId, string fileId, long? size, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxPhotoBytes;
        if (size > max) return new PhotoUpload(orderId, fileId, null, "photo.too_big");
        using var bytes = new MemoryStream();
        try
        {
            var file = await bot.GetFile(fileId, cancellationToken);
            if (file.FileSize > max) return new PhotoUpload(orderId, fileId, null, "photo.too_big");
            await bot.DownloadFile(file, bytes, cancellationToken);
        }
        catch (Exception e) when (e is Telegram.Bot.Exceptions.RequestException or HttpRequestException)
        {
            logger.LogWarning(e, "Could not download the photo of order {OrderId}", orderId);
            return new PhotoUpload(orderId, fileId, null, "photo.failed");
        }
        if (bytes.Length > max) return new PhotoUpload(orderId, fileId, null, "photo.too_big");
        return await StoreAsync(orderId, bytes, fileId, cancellationToken);
    }

    /// <summary>Checks the bytes are an image of a sane size that decodes, and stores them under the order's input key.</summary>
    public async Task<PhotoUpload> StoreAsync(Guid orderId, MemoryStream bytes, string? telegramFileId, CancellationToken cancellationToken)
    {
        var (kind, problem) = await InputPhotoCheck.CheckAsync(bytes, cancellationToken);
        if (problem is not null || kind is null) return new PhotoUpload(orderId, telegramFileId, null, problem ?? "photo.not_image");

        var key = MediaKeys.Input(orderId, kind.Value, bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
        bytes.Position = 0;
        await store.PutAsync(key, bytes, ImageSniffer.ContentType(kind.Value), cancellationToken);
        return new PhotoUpload(orderId, telegramFileId, key, null);
    }

    /// <summary>The stored photo becomes the draft's, in the update's transaction.</summary>
    public async Task RecordAsync(PhotoUpload upload, CancellationToken cancellationToken)
    {
        await drafts.SetAsync(upload.OrderId, DraftFields.PhotoKey, upload.Key, cancellationToken);
        await drafts.SetAsync(upload.OrderId, DraftFields.PhotoFileId, upload.TelegramFileId, cancellationToken);
        // A photo of the seller's own is not a card's: the order no longer started from one.
        await drafts.SetAsync(upload.OrderId, DraftFields.Article, null, cancellationToken);
    }
}
