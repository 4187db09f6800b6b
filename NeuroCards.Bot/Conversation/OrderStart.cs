using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Orders;

namespace NeuroCards.Bot.Conversation;

/// <summary>"🚀 Start": charges the whole order once, whichever old or repeated press it is.</summary>
public sealed class OrderStart(OrderDrafts drafts, Screens screens, ModelCatalog catalog, OrderConfirmation confirmation, OrderTracking tracking, ILogger<OrderStart> logger)
{
    /// <summary>False for a button that is not the user's order any more (or never was): it is stale.</summary>
    public async Task<bool> StartAsync(BotContext ctx, Guid orderId, CancellationToken cancellationToken)
    {
        var order = await drafts.GetAsync(orderId, cancellationToken);
        if (order is null || order.UserId != ctx.UserId) return false;
        var trace = System.Diagnostics.Activity.Current?.Id;
        var model = await catalog.FindOfferedAsync(order.Model, cancellationToken);
        if (order is { Status: "draft", Count: not null } && model is null)
        {
            // The model went off between the confirmation and the press: nothing is charged, the seller picks another.
            await ctx.Answer(ctx.T("count.model_gone"), alert: true, cancellationToken: cancellationToken);
            ctx.OrderId = orderId;
            await screens.Step(ctx, ConversationState.Count, cancellationToken);
            return true;
        }
        // An order confirmed already is answered as such whatever its model does now; its price no longer matters.
        // A card video's price was set from the preview the seller approved (its scenes); a single clip's is its model's.
        var price = order.Template == VideoTemplate.Card && order.PricePerVideo is { } card ? card : model?.Price ?? 1;
        switch (await confirmation.ConfirmAsync(orderId, price, trace, cancellationToken))
        {
            case ConfirmOrderResult.Confirmed { AlreadyConfirmed: true }:
                await ctx.Answer(ctx.T("order.already"), alert: true, cancellationToken: cancellationToken);
                return true;
            case ConfirmOrderResult.Confirmed confirmed:
                await ctx.Answer(cancellationToken: cancellationToken);
                logger.LogInformation("Order {OrderId} confirmed: {Count} job(s), {Cost} credit(s)", orderId, confirmed.JobIds.Count, confirmed.Cost);
                await ShowStartedAsync(ctx, orderId, confirmed.JobIds.Count, cancellationToken);
                return true;
            case ConfirmOrderResult.InsufficientBalance:
                await ctx.Answer(cancellationToken: cancellationToken);
                ctx.PendingOrderId = orderId;
                ctx.OrderId = orderId;
                await screens.Confirm(ctx, orderId, cancellationToken);
                return true;
            case ConfirmOrderResult.Incomplete:
                await ctx.Answer(ctx.T("order.incomplete"), alert: true, cancellationToken: cancellationToken);
                await screens.MainMenu(ctx, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    private async Task ShowStartedAsync(BotContext ctx, Guid orderId, int videos, CancellationToken cancellationToken)
    {
        var text = ctx.T("order.started", ("videos", ctx.Plural("videos", videos)));
        if (ctx.Callback?.Message is { } shown)
        {
            // The confirmation becomes the order's one status message, which the worker edits. It says "accepted" once the
            // charge and the jobs are committed, never before.
            ctx.Send(OutgoingMessage.Edit(ctx.ChatId, shown.MessageId, text));
            await tracking.SetStatusMessageAsync(orderId, shown.MessageId, text, cancellationToken);
        }
        else
        {
            ctx.Send(OutgoingMessage.Message(ctx.ChatId, text) with { StatusOfOrder = orderId });
        }
        ctx.PendingOrderId = null;
        ctx.OrderId = null;
        ctx.State = ConversationState.Menu;
    }
}
