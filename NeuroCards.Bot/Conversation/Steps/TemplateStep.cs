using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Data;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Orders;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>Step 3: UGC blogger, ad (b-roll), the card video (previewed before it is paid for) or own prompt.</summary>
public sealed class TemplateStep(OrderDrafts drafts, Screens screens) : IStep
{
    public ConversationState State => ConversationState.Template;

    public IReadOnlyCollection<string> Buttons => [TemplateButton.Verb];

    public Task<StepScreen?> DrawAsync(BotContext ctx, OrderDraft order, CancellationToken cancellationToken) =>
        Task.FromResult<StepScreen?>(new(ctx.T("template.ask"),
        TemplateButton.Templates.Select(t => new[] { InlineKeyboardButton.WithCallbackData(ctx.T("template." + t.ToDb()), TemplateButton.Data(t)) }).ToList()));

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var template = TemplateButton.Parse(ctx.Data);
        if (template is not { } picked || ctx.OrderId is not { } orderId)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("template.hint"), cancellationToken: cancellationToken);
            return;
        }
        await ctx.Answer(cancellationToken: cancellationToken);
        await drafts.SetAsync(orderId, DraftFields.Template, picked, cancellationToken);
        // The card video is made for the marketplaces' card frame unless the seller picks another on its preview.
        if (picked == VideoTemplate.Card) await drafts.SetAsync(orderId, DraftFields.Format, VideoFormat.Card, cancellationToken);
        if (picked == VideoTemplate.Custom) PromptStep.SetAppending(ctx, false);
        await screens.Step(ctx, picked == VideoTemplate.Custom ? ConversationState.Prompt : ConversationState.Wishes, cancellationToken);
    }
}
