using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Orders;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>Step 5: the model (when several are configured) and 1, 3 or 5 videos.</summary>
public sealed class CountStep(OrderDrafts drafts, Screens screens) : IStep
{
    public ConversationState State => ConversationState.Count;

    public IReadOnlyCollection<string> Buttons => [CountButton.Verb];

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        if (CountButton.Parse(ctx.Data) is not { } button || !screens.Models.ContainsKey(button.Model) || ctx.OrderId is not { } orderId)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("count.hint"), cancellationToken: cancellationToken);
            return;
        }
        await ctx.Answer(cancellationToken: cancellationToken);
        await drafts.SetAsync(orderId, DraftFields.Model, button.Model, cancellationToken);
        await drafts.SetAsync(orderId, DraftFields.Count, button.Count, cancellationToken);
        await screens.Confirm(ctx, orderId, cancellationToken);
    }
}
