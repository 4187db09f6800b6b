using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Texts;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>The echoed own prompt: approve it, or add to it (text typed here is added too).</summary>
public sealed class PromptReviewStep(Screens screens, PromptStep promptStep) : IStep
{
    public ConversationState State => ConversationState.PromptReview;

    public IReadOnlyCollection<string> Buttons => [Approve, AddMore];

    private const string Approve = "approve";
    private const string AddMore = "addmore";

    public Task<StepScreen?> DrawAsync(BotContext ctx, OrderDraft order, CancellationToken cancellationToken) =>
        Task.FromResult<StepScreen?>(StepScreen.Of(ctx.T("prompt.review", ("prompt", Html.Escape(order.UserPrompt ?? ""))),
        [InlineKeyboardButton.WithCallbackData(ctx.T("prompt.approve"), Approve)],
        [InlineKeyboardButton.WithCallbackData(ctx.T("prompt.add"), AddMore)]));

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        switch (ctx.Data)
        {
            case Approve:
                await ctx.Answer(cancellationToken: cancellationToken);
                await screens.Count(ctx, cancellationToken);
                return;
            case AddMore:
                await ctx.Answer(cancellationToken: cancellationToken);
                PromptStep.SetAppending(ctx, true);
                await screens.Step(ctx, ConversationState.Prompt, cancellationToken);
                return;
        }
        if (ctx.Text is { Length: > 0 })
        {
            PromptStep.SetAppending(ctx, true);
            await promptStep.HandleAsync(ctx, cancellationToken);
            return;
        }
        await ctx.Answer(cancellationToken: cancellationToken);
        await ctx.Reply(ctx.T("prompt.review_hint"), cancellationToken: cancellationToken);
    }
}
