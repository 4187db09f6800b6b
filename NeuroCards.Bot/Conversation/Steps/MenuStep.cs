using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>Idle at the menu: anything typed gets the menu again.</summary>
public sealed class MenuStep(Screens screens) : IStep
{
    public ConversationState State => ConversationState.Menu;

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        await ctx.Answer(cancellationToken: cancellationToken);
        await screens.MainMenu(ctx, cancellationToken, ctx.T("unknown.hint"));
    }
}
