using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Orders;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>The card video's preview: what the seller types here rewrites its script (its buttons are <see cref="CardPreviewFlow"/>'s).</summary>
public sealed class PreviewStep(CardPreviewFlow cards) : IStep
{
    public const int Max = 1000;

    public ConversationState State => ConversationState.Preview;

    public Task<StepScreen?> DrawAsync(BotContext ctx, OrderDraft order, CancellationToken cancellationToken) =>
        Task.FromResult<StepScreen?>(StepScreen.Of(ctx.T("card.making")));

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        if (ctx.OrderId is not { } orderId) return;
        if (ctx.Text is not { Length: > 0 } change)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("card.edit_ask"), cancellationToken: cancellationToken);
            return;
        }
        if (change.Length > Max)
        {
            await ctx.Reply(ctx.T("card.too_long", ("length", change.Length)), cancellationToken: cancellationToken);
            return;
        }
        await cards.RequestAsync(ctx, orderId, change, redraw: false, cancellationToken);
    }
}
