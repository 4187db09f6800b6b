using NeuroCards.Bot.Outbox;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Texts;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Account;

/// <summary>A finished video sent again, from the account or the Mini App: as it first came, by file_id or from storage.</summary>
public static class VideoResend
{
    public static OutgoingMessage Message(long chatId, FinishedVideo video, TextCatalog texts, string language)
    {
        var caption = video.Total == 1 ? texts.Get(language, "worker.result.caption_single")
            : texts.Get(language, "worker.result.caption", ("index", video.Index + 1), ("total", video.Total));
        var keyboard = new InlineKeyboardMarkup(
        [
            [InlineKeyboardButton.WithCallbackData(texts.Get(language, "worker.button.again"), $"again:{video.OrderId:N}")],
            [InlineKeyboardButton.WithCallbackData(texts.Get(language, "worker.button.menu"), "menu")],
        ]);
        return OutgoingMessage.Video(chatId, video.TelegramFileId, video.ResultKey, caption, keyboard);
    }
}
