using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Routing;

/// <summary>What a step shows: its text and its own buttons (the flow adds «◀️ Back» under them).</summary>
public sealed record StepScreen(string Text, IReadOnlyList<InlineKeyboardButton[]> Rows)
{
    public static StepScreen Of(string text, params InlineKeyboardButton[][] rows) => new(text, rows);
}
