using NeuroCards.Core.Texts;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Core.Publishing;

/// <summary>The buttons under a batch's message: pause or resume and cancel while it runs, the failures in detail when there are some.</summary>
public static class BatchKeyboard
{
    public static InlineKeyboardMarkup? For(TextCatalog texts, string language, Guid batchId, string state, bool finished, int failed)
    {
        string T(string key) => texts.Get(language, key);
        var rows = new List<InlineKeyboardButton[]>();
        if (!finished && state is "running" or "paused")
        {
            rows.Add(
            [
                state == "running"
                    ? InlineKeyboardButton.WithCallbackData(T("batch.button.pause"), $"batch:pause:{batchId:N}")
                    : InlineKeyboardButton.WithCallbackData(T("batch.button.resume"), $"batch:resume:{batchId:N}"),
                InlineKeyboardButton.WithCallbackData(T("batch.button.cancel"), $"batch:cancel:{batchId:N}"),
            ]);
        }
        if (failed > 0) rows.Add([InlineKeyboardButton.WithCallbackData(T("batch.button.details"), $"batch:details:{batchId:N}")]);
        return rows.Count == 0 ? null : new InlineKeyboardMarkup(rows);
    }
}
