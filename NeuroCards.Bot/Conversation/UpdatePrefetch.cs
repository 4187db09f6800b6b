using NeuroCards.Bot.Shops;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Marketplaces.Wildberries;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Bot.Conversation;

/// <summary>
/// The slow inputs an update will need — the seller's photo (Telegram's file, then the storage), a Wildberries card
/// with its photos (seconds), the card's photo the seller picks — fetched before the update's transaction begins, so
/// its connection is not held meanwhile. The chat's step is read without a lock to decide; the steps check that what was fetched is still for their draft and
/// fetch it themselves otherwise (another replica's update moved the chat on).
/// </summary>
public sealed class UpdatePrefetch(OrderPhotos photos, ArticleImport articles, ITelegramBotClient bot, ConversationStore conversations,
    ShopSecretChecker secrets, CatalogueLister catalogues, ILogger<UpdatePrefetch> logger)
{
    public async Task<PrefetchedInputs> LoadAsync(Update update, long chatId, CancellationToken cancellationToken)
    {
        if (update.CallbackQuery is { Data: { } batch, From.Id: var from } && BatchFlow.NewBatchShop(batch) is { } shopId)
        {
            await bot.SendChatAction(chatId, ChatAction.Typing, cancellationToken: cancellationToken);
            return PrefetchedInputs.None with { Catalogue = await catalogues.ListAsync(from, shopId, cancellationToken) };
        }
        var message = update.Message;
        if (message is { Text: { } secret } && !secret.StartsWith('/')
            && ShopsFlow.AwaitedSecret(await conversations.PeekAsync(chatId, cancellationToken)) is { } marketplace)
        {
            // The message that carried a secret goes at once, before anything else is done with it.
            try
            {
                await bot.DeleteMessage(chatId, message.MessageId, cancellationToken);
            }
            catch (Exception e) when (e is Telegram.Bot.Exceptions.ApiRequestException or HttpRequestException)
            {
                logger.LogWarning("Could not delete the message with a shop's secret in chat {ChatId}: {Error}", chatId, e.GetType().Name);
            }
            return PrefetchedInputs.None with { Secret = await secrets.CheckAsync(marketplace, secret, cancellationToken) };
        }
        var photo = OrderPhotos.Carried(message);
        long article = 0;
        var text = message?.Text?.Trim();
        var isArticle = photo is null && !WildberriesArticle.IsOtherMarketplace(text) && WildberriesArticle.TryParse(text, out article);
        var pick = update.CallbackQuery is { Data: { } data } query && data.StartsWith("wbpick:", StringComparison.Ordinal) ? query : null;
        if (photo is null && !isArticle && pick is null) return PrefetchedInputs.None;

        var conversation = await conversations.PeekAsync(chatId, cancellationToken);
        if (conversation.OrderId is not { } orderId) return PrefetchedInputs.None;
        if (photo is { } carried && conversation.State is ConversationState.Photo or ConversationState.Description)
        {
            return PrefetchedInputs.None with { Photo = await photos.UploadAsync(orderId, carried.FileId, carried.Size, cancellationToken) };
        }
        if (isArticle && conversation.State == ConversationState.Photo)
        {
            await bot.SendChatAction(chatId, ChatAction.UploadPhoto, cancellationToken: cancellationToken);
            return PrefetchedInputs.None with { Card = await articles.LoadAsync(article, cancellationToken) };
        }
        if (pick is not null) return PrefetchedInputs.None with { Pick = await articles.PrefetchPickAsync(conversation, pick, cancellationToken) };
        return PrefetchedInputs.None;
    }
}
