using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Orders;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>
/// Step 1: a photo, or an image sent as a file, checked to decode and stored once for the order. A caption is taken
/// as the description; a new photo at the description step replaces the first.
/// </summary>
public sealed class PhotoStep(OrderPhotos photos, ArticleImport articles, Screens screens, DescriptionStep descriptions) : IStep
{
    public ConversationState State => ConversationState.Photo;

    public Task<StepScreen?> DrawAsync(BotContext ctx, OrderDraft order, CancellationToken cancellationToken) =>
        Task.FromResult<StepScreen?>(StepScreen.Of(ctx.T("photo.ask")));

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var message = ctx.Message;
        var carried = OrderPhotos.Carried(message);
        if (carried is null && ctx.OrderId is { } draft && ctx.Text is { } text)
        {
            // An article number or a product link instead of a photo: the card's photos and text are taken from the marketplace.
            if (await articles.TryStartAsync(ctx, draft, text, cancellationToken)) return;
        }
        if (carried is not { } photo || ctx.OrderId is not { } orderId)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("photo.hint"), cancellationToken: cancellationToken);
            return;
        }
        // Fetched before the transaction began, unless the chat moved on meanwhile (another replica's update).
        var upload = ctx.Prefetched.Photo is { } early && early.OrderId == orderId && early.TelegramFileId == photo.FileId
            ? early
            : await photos.UploadAsync(orderId, photo.FileId, photo.Size, cancellationToken);
        if (upload.Problem is { } problem)
        {
            await ctx.Reply(ctx.T(problem), cancellationToken: cancellationToken);
            return;
        }
        await photos.RecordAsync(upload, cancellationToken);
        var replaced = ctx.State == ConversationState.Description;
        if (message?.Caption is { Length: > 0 } caption)
        {
            // A photo with a caption: the caption is the description.
            await descriptions.AcceptAsync(ctx, orderId, caption.Trim(), cancellationToken);
            return;
        }
        if (replaced) await ctx.Reply(ctx.T("photo.replaced"), cancellationToken: cancellationToken);
        await screens.Step(ctx, ConversationState.Description, cancellationToken);
    }
}
