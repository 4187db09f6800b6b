using NeuroCards.Bot.Routing;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Storage;

namespace NeuroCards.Bot.Conversation;

/// <summary>An image becomes the order's photo: checked to be an image that decodes, stored once, recorded on the draft.</summary>
public sealed class OrderPhotos(IMediaStore store)
{
    /// <summary>Null when stored; otherwise the text key that tells the seller what is wrong with it.</summary>
    public async Task<string?> StoreAsync(BotContext ctx, Guid orderId, MemoryStream bytes, string? telegramFileId, CancellationToken cancellationToken)
    {
        var kind = ImageSniffer.Detect(bytes.GetBuffer().AsSpan(0, (int)Math.Min(bytes.Length, ImageSniffer.HeaderLength)));
        if (kind is null) return "photo.not_image";
        bytes.Position = 0;
        if (await ImageDecoding.CanDecodeAsync(bytes, cancellationToken) == false) return "photo.broken";

        var key = MediaKeys.Input(orderId, kind.Value);
        bytes.Position = 0;
        await store.PutAsync(key, bytes, ImageSniffer.ContentType(kind.Value), cancellationToken);
        await OrderDrafts.SetAsync(ctx.Session.Connection, ctx.Session.Transaction, orderId, "photo_key", key, cancellationToken);
        await OrderDrafts.SetAsync(ctx.Session.Connection, ctx.Session.Transaction, orderId, "photo_file_id", telegramFileId, cancellationToken);
        return null;
    }
}
