using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Orders;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>The echoed own prompt: approve it, or add to it (text typed here is added too).</summary>
public sealed class PromptReviewStep(Screens screens, PromptStep promptStep) : IStep
{
    public ConversationState State => ConversationState.PromptReview;

    public IReadOnlyCollection<string> Buttons => ["approve", "addmore"];

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        switch (ctx.Data)
        {
            case "approve":
                await ctx.Answer(cancellationToken: cancellationToken);
                await screens.Count(ctx, cancellationToken);
                return;
            case "addmore":
                await ctx.Answer(cancellationToken: cancellationToken);
                ctx.Session.Data["appending"] = true;
                await screens.Step(ctx, ConversationState.Prompt, cancellationToken);
                return;
        }
        if (ctx.Text is { Length: > 0 })
        {
            ctx.Session.Data["appending"] = true;
            await promptStep.HandleAsync(ctx, cancellationToken);
            return;
        }
        await ctx.Answer(cancellationToken: cancellationToken);
        await ctx.Reply(ctx.T("prompt.review_hint"), cancellationToken: cancellationToken);
    }
}
