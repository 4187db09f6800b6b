using NeuroCards.Core.Conversations;
using NeuroCards.Core.Marketplaces.Wildberries;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Bot.Conversation;

/// <summary>
/// The slow inputs an update will need — the seller's photo (Telegram's file, then the storage) and a Wildberries card
/// with its photos (seconds) — fetched before the update's transaction begins, so its connection is not held meanwhile.
/// The chat's step is read without a lock to decide; the steps check that what was fetched is still for their draft and
/// fetch it themselves otherwise (another replica's update moved the chat on).
/// </summary>
public sealed class UpdatePrefetch(OrderPhotos photos, ArticleImport articles, ITelegramBotClient bot, NpgsqlDataSource dataSource)
{
    public async Task<PrefetchedInputs> LoadAsync(Update update, long chatId, CancellationToken cancellationToken)
    {
        var message = update.Message;
        var photo = OrderPhotos.Carried(message);
        long article = 0;
        var text = message?.Text?.Trim();
        var isArticle = photo is null && !WildberriesArticle.IsOtherMarketplace(text) && WildberriesArticle.TryParse(text, out article);
        if (photo is null && !isArticle) return PrefetchedInputs.None;

        var conversation = await ConversationSession.PeekAsync(dataSource, chatId, cancellationToken);
        if (conversation.OrderId is not { } orderId) return PrefetchedInputs.None;
        if (photo is { } carried && conversation.State is ConversationState.Photo or ConversationState.Description)
        {
            return new PrefetchedInputs(await photos.UploadAsync(orderId, carried.FileId, carried.Size, cancellationToken), null);
        }
        if (isArticle && conversation.State == ConversationState.Photo)
        {
            await bot.SendChatAction(chatId, ChatAction.UploadPhoto, cancellationToken: cancellationToken);
            return new PrefetchedInputs(null, await articles.LoadAsync(article, cancellationToken));
        }
        return PrefetchedInputs.None;
    }
}
