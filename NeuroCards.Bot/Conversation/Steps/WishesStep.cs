using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Data;
using NeuroCards.Core.Orders;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>Step 4 (UGC, ad, card video): optional wishes. "-" or the skip button mean none; any other text is a wish, whatever words it has.</summary>
public sealed class WishesStep(OrderDrafts drafts, Screens screens, CardPreviewFlow cards) : IStep
{
    public const int Max = 1000;

    public ConversationState State => ConversationState.Wishes;

    public IReadOnlyCollection<string> Buttons => [Skip];

    private const string Skip = "skip";

    public Task<StepScreen?> DrawAsync(BotContext ctx, OrderDraft order, CancellationToken cancellationToken) =>
        Task.FromResult<StepScreen?>(StepScreen.Of(ctx.T(order.Template switch
        {
            VideoTemplate.Ad => "wishes.ask_ad",
            VideoTemplate.Card => "wishes.ask_card",
            _ => "wishes.ask_ugc",
        }),
        [InlineKeyboardButton.WithCallbackData(ctx.T("wishes.skip"), Skip)]));

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        if (ctx.OrderId is not { } orderId) return;
        string? wishes;
        if (ctx.Data == Skip || ctx.Text is "-" or "—")
        {
            wishes = null;
        }
        else if (ctx.Text is { Length: > 0 } text)
        {
            if (text.Length > Max)
            {
                await ctx.Reply(ctx.T("wishes.too_long", ("length", text.Length)), cancellationToken: cancellationToken);
                return;
            }
            wishes = text;
        }
        else
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("wishes.hint"), cancellationToken: cancellationToken);
            return;
        }
        await ctx.Answer(cancellationToken: cancellationToken);
        await drafts.SetAsync(orderId, DraftFields.Wishes, wishes, cancellationToken);
        // The card video shows its script and stills before a price is asked; a single clip goes on to its count.
        if ((await drafts.GetAsync(orderId, cancellationToken))?.Template == VideoTemplate.Card) await cards.RequestAsync(ctx, orderId, null, false, cancellationToken);
        else await screens.Count(ctx, cancellationToken);
    }
}
