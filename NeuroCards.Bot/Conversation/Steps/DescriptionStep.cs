using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Texts;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>
/// Step 2: the product description, text only, 10–3000 characters. A longer text gets an offer to take its first
/// 3000 characters. (A photo sent here goes to the photo step, which replaces the order's photo.)
/// </summary>
public sealed class DescriptionStep(OrderDrafts drafts, Screens screens) : IStep
{
    public const int Min = 10;
    public const int Max = 3000;
    private const string LongText = "longDescription";

    public ConversationState State => ConversationState.Description;

    public IReadOnlyCollection<string> Buttons => ["desc"];

    public Task<StepScreen?> DrawAsync(BotContext ctx, OrderDraft order, CancellationToken cancellationToken) =>
        Task.FromResult<StepScreen?>(StepScreen.Of(ctx.T("description.ask")));

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        if (ctx.OrderId is not { } orderId)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("description.hint"), cancellationToken: cancellationToken);
            return;
        }
        if (ctx.Data == "desc:cut" && ctx.Session.Data[LongText]?.GetValue<string>() is { } kept)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await AcceptAsync(ctx, orderId, Cut(kept), cancellationToken);
            return;
        }
        if (ctx.Text is not { } text)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("description.hint"), cancellationToken: cancellationToken);
            return;
        }
        await AcceptAsync(ctx, orderId, text, cancellationToken);
    }

    /// <summary>A description from a message or a photo's caption: taken, or a hint (too short), or the offer (too long).</summary>
    public async Task AcceptAsync(BotContext ctx, Guid orderId, string text, CancellationToken cancellationToken)
    {
        if (text.Length < Min)
        {
            ctx.State = ConversationState.Description;
            await ctx.Reply(ctx.T("description.too_short"), cancellationToken: cancellationToken);
            return;
        }
        if (text.Length > Max)
        {
            ctx.State = ConversationState.Description;
            ctx.Session.Data[LongText] = TextElements.Head(text, 4 * Max);
            await ctx.Reply(ctx.T("description.too_long", ("length", text.Length)), new InlineKeyboardMarkup(
                InlineKeyboardButton.WithCallbackData(ctx.T("description.cut"), "desc:cut")), cancellationToken: cancellationToken);
            return;
        }
        ctx.Session.Data.Remove(LongText);
        await drafts.SetAsync(orderId, DraftFields.Description, text, cancellationToken);
        await screens.Template(ctx, cancellationToken);
    }

    /// <summary>The first 3000 characters, ending at a sentence or a word rather than mid-word.</summary>
    public static string Cut(string text)
    {
        if (text.Length <= Max) return text;
        var head = TextElements.Head(text, Max);
        var sentence = head.LastIndexOfAny(['.', '!', '?', '\n']);
        if (sentence > head.Length * 2 / 3) return head[..(sentence + 1)].Trim();
        var word = head.LastIndexOf(' ');
        return (word > head.Length / 2 ? head[..word] : head).Trim();
    }
}
