using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>Waiting for "🚀 Start" (handled wherever it is pressed: the order id is in the button).</summary>
public sealed class ConfirmStep : IStep
{
    public ConversationState State => ConversationState.Confirm;

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        await ctx.Answer(cancellationToken: cancellationToken);
        await ctx.Reply(ctx.T("confirm.hint"), cancellationToken: cancellationToken);
    }
}
