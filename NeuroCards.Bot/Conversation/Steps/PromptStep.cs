using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Orders;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>Step 4 (own prompt): the prompt text; in "add" mode the text is appended to what is there.</summary>
public sealed class PromptStep(OrderDrafts drafts, Screens screens) : IStep
{
    public const int Max = 2000;

    public ConversationState State => ConversationState.Prompt;

    // Set by «➕ Add» on the review: the next text is added to the prompt instead of replacing it.
    private const string AppendingKey = "appending";

    public static bool IsAppending(BotContext ctx) => ctx.Session.Data[AppendingKey]?.GetValue<bool>() == true;

    public static void SetAppending(BotContext ctx, bool appending)
    {
        if (appending) ctx.Session.Data[AppendingKey] = true;
        else ctx.Session.Data.Remove(AppendingKey);
    }

    public Task<StepScreen?> DrawAsync(BotContext ctx, OrderDraft order, CancellationToken cancellationToken) =>
        Task.FromResult<StepScreen?>(StepScreen.Of(ctx.T(IsAppending(ctx) ? "prompt.add_ask" : "prompt.ask")));

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        if (ctx.OrderId is not { } orderId || ctx.Text is not { Length: > 0 } text)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("prompt.hint"), cancellationToken: cancellationToken);
            return;
        }
        var order = await drafts.GetAsync(orderId, cancellationToken);
        var prompt = IsAppending(ctx) && order?.UserPrompt is { } existing
            ? existing + "\n" + text
            : text;
        if (prompt.Length > Max)
        {
            await ctx.Reply(ctx.T("prompt.too_long", ("length", prompt.Length)), cancellationToken: cancellationToken);
            return;
        }
        await drafts.SetAsync(orderId, DraftFields.UserPrompt, prompt, cancellationToken);
        SetAppending(ctx, false);
        await screens.Step(ctx, ConversationState.PromptReview, cancellationToken);
    }
}
