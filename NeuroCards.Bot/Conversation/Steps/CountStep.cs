using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Orders;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>Step 5: the model (when several are configured) and 1, 3 or 5 videos.</summary>
public sealed class CountStep(OrderDrafts drafts, Screens screens) : IStep
{
    public ConversationState State => ConversationState.Count;

    public IReadOnlyCollection<string> Buttons => ["cnt"];

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var parts = ctx.Data?.Split(':');
        if (parts is not ["cnt", var model, var n] || !int.TryParse(n, out var count) || count is not (1 or 3 or 5)
            || !screens.Models.ContainsKey(model) || ctx.OrderId is not { } orderId)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("count.hint"), cancellationToken: cancellationToken);
            return;
        }
        await ctx.Answer(cancellationToken: cancellationToken);
        await drafts.SetAsync(orderId, DraftFields.Model, model, cancellationToken);
        await drafts.SetAsync(orderId, DraftFields.Count, count, cancellationToken);
        await screens.Confirm(ctx, orderId, cancellationToken);
    }
}
