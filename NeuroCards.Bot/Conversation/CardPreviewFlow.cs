using Microsoft.Extensions.Options;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Cards;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Orders;

namespace NeuroCards.Bot.Conversation;

/// <summary>
/// The card video's preview in the chat: asked for after the wishes, remade after a typed change or «🔄 Другие кадры»
/// (a worker makes and sends it), and «🚀 Делаем», which charges the scenes the seller saw. Until then nothing is charged.
/// </summary>
public sealed class CardPreviewFlow(CardPreviews previews, OrderDrafts drafts, ModelCatalog catalog, Screens screens, OrderStart orderStart,
    IOptions<CardVideoOptions> options) : IHandlerTable
{
    public IEnumerable<BotCommand> Commands => [];

    public IEnumerable<BotButton> Buttons => [new(CardButton.Verb, HandleButtonAsync)];

    public IEnumerable<MessageRoute> Messages => [];

    /// <summary>
    /// Asks for a preview (the first, after a typed <paramref name="change"/>, or other stills) and says what comes of it:
    /// on its way, already on its way, or over a limit, which is named.
    /// </summary>
    public async Task<PreviewRequest> RequestAsync(BotContext ctx, Guid orderId, string? change, bool redraw, CancellationToken cancellationToken,
        CardVoice? voice = null)
    {
        var limits = options.Value;
        var result = await previews.RequestAsync(orderId, ctx.UserId, ctx.ChatId, change, redraw, cancellationToken, voice?.Id);
        switch (result)
        {
            case PreviewRequest.Requested:
                ctx.OrderId = orderId;
                await ctx.Answer(cancellationToken: cancellationToken);
                if (ctx.State == ConversationState.Preview) await ctx.Reply(ctx.T("card.making"), cancellationToken: cancellationToken);
                else await screens.Step(ctx, ConversationState.Preview, cancellationToken);
                ctx.State = ConversationState.Preview;
                break;
            case PreviewRequest.Busy:
                await Say(ctx, ctx.T("card.busy"), cancellationToken);
                break;
            case PreviewRequest.RedrawLimit:
                await Say(ctx, ctx.T("card.redraw_limit", ("limit", limits.Redraws)), cancellationToken);
                break;
            case PreviewRequest.DailyLimit:
                await Say(ctx, ctx.T("card.daily_limit", ("limit", limits.PreviewsPerDay)), cancellationToken);
                break;
        }
        return result;
    }

    /// <summary>A notice on the button pressed, or as a message for typed text.</summary>
    private static Task Say(BotContext ctx, string text, CancellationToken cancellationToken) =>
        ctx.Callback is not null ? ctx.Answer(text, alert: true, cancellationToken: cancellationToken) : ctx.Reply(text, cancellationToken: cancellationToken);

    private async Task<bool> HandleButtonAsync(BotContext ctx, string argument, CancellationToken cancellationToken)
    {
        if (CardButton.Parse(argument) is not var (action, orderId, format, voice)) return false;
        var order = await drafts.GetAsync(orderId, cancellationToken);
        // Another chat's preview, or one whose order was started or dropped: stale (a started order answers as such).
        if (order is null || order.UserId != ctx.UserId) return false;
        if (order.Status != "draft") return action == CardButton.Action.Go && await orderStart.StartAsync(ctx, orderId, cancellationToken);
        switch (action)
        {
            case CardButton.Action.Go:
                return await GoAsync(ctx, order, cancellationToken);
            case CardButton.Action.Edit:
                ctx.OrderId = orderId;
                ctx.State = ConversationState.Preview;
                await ctx.Answer(cancellationToken: cancellationToken);
                await ctx.Reply(ctx.T("card.edit_ask"), cancellationToken: cancellationToken);
                return true;
            case CardButton.Action.Redo:
                ctx.State = ConversationState.Preview;
                await RequestAsync(ctx, orderId, null, redraw: true, cancellationToken);
                return true;
            case CardButton.Action.Format when format == order.Format:
                await ctx.Answer(cancellationToken: cancellationToken);
                return true;
            case CardButton.Action.Format:
                // The stills are redrawn in the new frame, the script kept; it counts toward the day, not the re-draws. The
                // worker sees the request only once this update commits, and the new frame with it.
                ctx.State = ConversationState.Preview;
                if (await RequestAsync(ctx, orderId, null, redraw: false, cancellationToken) == PreviewRequest.Requested)
                    await drafts.SetAsync(orderId, DraftFields.Format, format!.Value, cancellationToken);
                return true;
            case CardButton.Action.Voice:
                // Another voice: the preview comes again with its sample (the script and the frame kept).
                ctx.State = ConversationState.Preview;
                await RequestAsync(ctx, orderId, null, redraw: false, cancellationToken, voice);
                return true;
            default:
                ctx.OrderId = orderId;
                await ctx.Answer(cancellationToken: cancellationToken);
                await screens.Step(ctx, ConversationState.Wishes, cancellationToken);
                return true;
        }
    }

    /// <summary>«🚀 Делаем»: the scenes the seller saw, at the first offered model's price per scene, charged once.</summary>
    private async Task<bool> GoAsync(BotContext ctx, OrderDraft order, CancellationToken cancellationToken)
    {
        var preview = await previews.GetAsync(order.Id, cancellationToken);
        if (preview is not { State: CardPreviewState.Ready, Scenes: { } scenes })
        {
            await ctx.Answer(ctx.T("card.not_ready"), alert: true, cancellationToken: cancellationToken);
            return true;
        }
        var offered = await catalog.OfferedAsync(cancellationToken);
        if (offered.Count == 0)
        {
            await ctx.Answer(ctx.T("count.model_gone"), alert: true, cancellationToken: cancellationToken);
            return true;
        }
        await drafts.SetAsync(order.Id, DraftFields.Model, offered[0].Name, cancellationToken);
        await drafts.SetAsync(order.Id, DraftFields.Count, 1, cancellationToken);
        await drafts.SetAsync(order.Id, DraftFields.PricePerVideo, CardPreviews.Price(offered[0].Price, scenes), cancellationToken);
        return await orderStart.StartAsync(ctx, order.Id, cancellationToken);
    }
}
