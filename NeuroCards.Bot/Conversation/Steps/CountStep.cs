using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Orders;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>Step 5: the model (when several are configured) and 1, 3 or 5 videos.</summary>
public sealed class CountStep(OrderDrafts drafts, Screens screens) : IStep
{
    public ConversationState State => ConversationState.Count;

    public IReadOnlyCollection<string> Buttons => [CountButton.Verb];

    public StepScreen Draw(BotContext ctx, OrderDraft order)
    {
        var models = screens.Models;
        // One button per row reads better on phones.
        var rows = models.SelectMany(m => CountButton.Counts.Select(n => new[]
        {
            InlineKeyboardButton.WithCallbackData(ctx.T("count.option", ("count", n), ("model", m.Value.Title), ("credits", ctx.Credits(n * m.Value.Price))),
                new CountButton(m.Key, n).Data),
        })).ToList();
        var differ = ctx.T(order.Template == "ugc" ? "count.differ_hero" : "count.differ_scene");
        return new(ctx.T(models.Count > 1 ? "count.ask_model" : "count.ask", ("differ", differ)), rows);
    }

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
