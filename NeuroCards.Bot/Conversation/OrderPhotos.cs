using Microsoft.Extensions.Options;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Storage;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NeuroCards.Bot.Conversation;

/// <summary>
/// An image becomes the order's photo: downloaded from Telegram, checked to be an image that decodes, stored once,
/// recorded on the draft. The slow part (download and storage) runs before the update's transaction when it can.
/// </summary>
public sealed class OrderPhotos(IMediaStore store, ITelegramBotClient bot, NpgsqlDataSource dataSource, IOptions<BotOptions> options,
    ILogger<OrderPhotos> logger)
{
    /// <summary>The photo, or the image sent as a file, that a message carries.</summary>
    public static (string FileId, long? Size)? Carried(Message? message) => message switch
    {
        { Photo: { Length: > 0 } sizes } => (sizes[^1].FileId, sizes[^1].FileSize),
        { Document: { } document } => (document.FileId, document.FileSize),
        _ => null,
    };

    /// <summary>
    /// Before the update's transaction: a photo sent to a chat at the photo or description step is fetched and stored now,
    /// so the transaction (and its connection) is not held while Telegram and the storage answer. Null when there is
    /// nothing to fetch; the step checks that the upload is still for its draft.
    /// </summary>
    public async Task<PhotoUpload?> PrefetchAsync(Message? message, long chatId, CancellationToken cancellationToken)
    {
        if (Carried(message) is not { } carried) return null;
        var conversation = await ConversationSession.PeekAsync(dataSource, chatId, cancellationToken);
        if (conversation.State is not (ConversationState.Photo or ConversationState.Description) || conversation.OrderId is not { } orderId) return null;
        return await UploadAsync(orderId, carried.FileId, carried.Size, cancellationToken);
    }

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

    /// <summary>Checks the bytes are an image that decodes and stores them under the order's input key.</summary>
    public async Task<PhotoUpload> StoreAsync(Guid orderId, MemoryStream bytes, string? telegramFileId, CancellationToken cancellationToken)
    {
        var kind = ImageSniffer.Detect(bytes.GetBuffer().AsSpan(0, (int)Math.Min(bytes.Length, ImageSniffer.HeaderLength)));
        if (kind is null) return new PhotoUpload(orderId, telegramFileId, null, "photo.not_image");
        bytes.Position = 0;
        if (await ImageDecoding.CanDecodeAsync(bytes, cancellationToken) == false) return new PhotoUpload(orderId, telegramFileId, null, "photo.broken");

        var key = MediaKeys.Input(orderId, kind.Value, bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
        bytes.Position = 0;
        await store.PutAsync(key, bytes, ImageSniffer.ContentType(kind.Value), cancellationToken);
        return new PhotoUpload(orderId, telegramFileId, key, null);
    }

    /// <summary>The stored photo becomes the draft's, in the update's transaction.</summary>
    public static async Task RecordAsync(BotContext ctx, PhotoUpload upload, CancellationToken cancellationToken)
    {
        await OrderDrafts.SetAsync(ctx.Session.Connection, ctx.Session.Transaction, upload.OrderId, "photo_key", upload.Key, cancellationToken);
        await OrderDrafts.SetAsync(ctx.Session.Connection, ctx.Session.Transaction, upload.OrderId, "photo_file_id", upload.TelegramFileId, cancellationToken);
    }
}
