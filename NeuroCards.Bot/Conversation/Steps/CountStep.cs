using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Data;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Orders;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>Step 5: the model (when several are offered) and 1, 3 or 5 videos.</summary>
public sealed class CountStep(OrderDrafts drafts, Screens screens, ModelCatalog catalog) : IStep
{
    public ConversationState State => ConversationState.Count;

    public IReadOnlyCollection<string> Buttons => [CountButton.Verb];

    public async Task<StepScreen?> DrawAsync(BotContext ctx, OrderDraft order, CancellationToken cancellationToken)
    {
        var models = await catalog.OfferedAsync(cancellationToken);
        // One button per row reads better on phones.
        var rows = models.SelectMany(m => CountButton.Counts.Select(n => new[]
        {
            InlineKeyboardButton.WithCallbackData(ctx.T("count.option", ("count", n), ("model", m.Title), ("credits", ctx.Credits(n * m.Price))),
                new CountButton(m.Name, n).Data),
        })).ToList();
        var differ = ctx.T(order.Template == VideoTemplate.Ugc ? "count.differ_hero" : "count.differ_scene");
        return new(ctx.T(models.Count > 1 ? "count.ask_model" : "count.ask", ("differ", differ)), rows);
    }

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        if (CountButton.Parse(ctx.Data) is not { } button || ctx.OrderId is not { } orderId)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("count.hint"), cancellationToken: cancellationToken);
            return;
        }
        if (await catalog.FindOfferedAsync(button.Model, cancellationToken) is null)
        {
            // Turned off (or retired by KIE) since the screen was drawn: the seller picks again from what is offered now.
            await ctx.Answer(ctx.T("count.model_gone"), alert: true, cancellationToken: cancellationToken);
            await screens.Step(ctx, ConversationState.Count, cancellationToken);
            return;
        }
        await ctx.Answer(cancellationToken: cancellationToken);
        await drafts.SetAsync(orderId, DraftFields.Model, button.Model, cancellationToken);
        await drafts.SetAsync(orderId, DraftFields.Count, button.Count, cancellationToken);
        await screens.Confirm(ctx, orderId, cancellationToken);
    }
}
