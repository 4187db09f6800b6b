using NeuroCards.Bot.Account;
using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Payments;
using NeuroCards.Bot.Payments.YooKassa;
using NeuroCards.Bot.Shops;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Payments;
using NeuroCards.Core.Publishing;
using NeuroCards.Core.Shops;
using Telegram.Bot;
using Telegram.Bot.Types.InlineQueryResults;
using Telegram.Bot.Types.Payments;

namespace NeuroCards.Bot.MiniApp;

/// <summary>
/// What the Mini App's buttons do. Messages to the chat go through the outbox in a transaction of their own (as every
/// message does); Telegram is asked directly only for what answers the Mini App itself (an invoice link, a prepared message).
/// </summary>
public sealed class MiniAppActions(
    OrderHistory history,
    OutboxUnitOfWork outbox,
    ITelegramBotClient bot,
    Publications publications,
    Core.Shops.Shops shops,
    Batches batches,
    PaymentStore payments,
    PaymentsFlow paymentsFlow,
    YooKassaCheckout yooKassa,
    MiniAppPage page)
{
    /// <summary>The video again in the chat, as it first came. False: not this user's video.</summary>
    public async Task<bool> SendAsync(MiniAppUser user, Guid jobId, CancellationToken cancellationToken)
    {
        if (await history.FinishedVideoAsync(jobId, user.Id, cancellationToken) is not { } video || video is { TelegramFileId: null, ResultKey: null }) return false;
        await outbox.RunAsync((outgoing, _) =>
        {
            outgoing.Add(VideoResend.Message(user.Id, video, page.Texts, user.Language));
            return Task.FromResult(true);
        }, cancellationToken);
        return true;
    }

    /// <summary>A message Telegram keeps for this user to share anywhere (shareMessage): the video with its product's name.</summary>
    public async Task<string?> PrepareShareAsync(MiniAppUser user, Guid jobId, CancellationToken cancellationToken)
    {
        var video = await history.GalleryVideoAsync(jobId, user.Id, cancellationToken);
        if (video?.TelegramFileId is not { } fileId) return null;
        var title = ProductName.Of(video.Description, 60);
        var prepared = await bot.SavePreparedInlineMessage(user.Id,
            new InlineQueryResultCachedVideo(jobId.ToString("N"), fileId, string.IsNullOrEmpty(title) ? "NeuroCards" : title)
            {
                Caption = page.T(user, "app.share.caption", ("product", Core.Texts.Html.Escape(title))),
                ParseMode = Telegram.Bot.Types.Enums.ParseMode.Html,
            },
            allowUserChats: true, allowGroupChats: true, allowChannelChats: true, cancellationToken: cancellationToken);
        return prepared.Id;
    }

    /// <summary>The video on a card of a connected shop, through the same publication queue as the chat's «📤»: what to tell the seller, or null (not theirs).</summary>
    public async Task<(bool Ok, string Message)?> PublishAsync(MiniAppUser user, Guid jobId, Guid shopId, string cardText, CancellationToken cancellationToken)
    {
        if (await publications.PublishableVideoAsync(jobId, user.Id, cancellationToken) is null
            || await shops.GetAsync(shopId, user.Id, cancellationToken) is not { } shop) return null;
        if (PublishFlow.CardOf(shop, cardText.Trim()) is not { } card) return (false, page.T(user, "pub.bad_card." + shop.Marketplace));
        var publication = await publications.RequestAsync(user.Id, user.Id, user.Language, jobId, shop, card, cancellationToken);
        return (true, publication.Status == PublicationState.Published
            ? page.T(user, "pub.already", ("card", Core.Texts.Html.Escape(card)))
            : page.T(user, "app.publish.queued"));
    }

    /// <summary>Pause, resume or cancel a batch of the user's (cancelling refunds the cards not started, and says so in the chat).</summary>
    public async Task<bool> BatchAsync(MiniAppUser user, Guid batchId, string verb, CancellationToken cancellationToken)
    {
        if (await batches.GetAsync(batchId, user.Id, cancellationToken) is null) return false;
        switch (verb)
        {
            case "pause":
                await batches.PauseAsync(batchId, user.Id, cancellationToken);
                return true;
            case "resume":
                await batches.ResumeAsync(batchId, user.Id, cancellationToken);
                return true;
            case "cancel":
                var texts = page.Texts;
                await outbox.RunAsync(async (outgoing, ct) =>
                {
                    if (await batches.CancelAsync(batchId, user.Id, ct) is { } cancelled)
                        outgoing.Add(OutgoingMessage.Message(user.Id, texts.Get(user.Language, "batch.cancelled_refund",
                            ("credits", texts.Plural(user.Language, "credits", cancelled.Refunded)), ("balance", texts.Plural(user.Language, "credits", cancelled.Balance)))));
                    return true;
                }, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A Stars invoice link for openInvoice; credits come only with the bot's successful_payment, as for an invoice in the chat.</summary>
    public async Task<string?> StarsLinkAsync(MiniAppUser user, int packId, CancellationToken cancellationToken)
    {
        if (await payments.PackAsync(packId, cancellationToken) is not { } pack) return null;
        var payment = await payments.CreateAsync(user.Id, PaymentProvider.Stars, pack, null, cancellationToken);
        var invoice = paymentsFlow.StarsInvoiceOf(payment, pack, user.Language);
        return await bot.CreateInvoiceLink(invoice.Title, invoice.Description, invoice.Payload, "XTR", [new LabeledPrice(invoice.PriceLabel, invoice.Stars)],
            cancellationToken: cancellationToken);
    }

    /// <summary>YooKassa's page for a pack, opened outside the Mini App; null when the pack is unknown or YooKassa could not make a payment.</summary>
    public async Task<string?> CardLinkAsync(MiniAppUser user, int packId, CancellationToken cancellationToken) =>
        await payments.PackAsync(packId, cancellationToken) is { } pack
            ? await yooKassa.LinkAsync(user.Id, pack, null, cancellationToken)
            : null;
}
