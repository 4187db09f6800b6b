using NeuroCards.Bot.Conversation.Steps;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Data;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Texts;
using NeuroCards.Core.Users;

namespace NeuroCards.Bot.Conversation;

/// <summary>The conversation's commands and buttons that work from anywhere: consent, the menu, the create flow's navigation.</summary>
public sealed class ConversationHandlers(UserStore users, OrderDrafts drafts, ConsentGate consent, Screens screens, OrderStart orderStart, PhotoStep photos, ArticleImport articles)
    : IHandlerTable
{
    public IEnumerable<BotCommand> Commands =>
    [
        new("/start", consent.StartAsync, BeforeConsent: true),
        new("/menu", MenuAsync),
        new("/help", (ctx, ct) => ctx.Reply(ctx.T("help.text"), cancellationToken: ct)),
        new("/cancel", CancelWithNoticeAsync),
        new("/language", SwitchLanguageAsync),
    ];

    public IEnumerable<BotButton> Buttons =>
    [
        new("consent", consent.AcceptAsync, BeforeConsent: true),
        new("menu", (ctx, _, ct) => Answered(ctx, () => screens.MainMenu(ctx, ct), ct)),
        new("create", (ctx, _, ct) => Answered(ctx, () => screens.StartCreate(ctx, null, ct), ct)),
        new("lang", (ctx, _, ct) => Answered(ctx, () => SwitchLanguageAsync(ctx, ct), ct)),
        new("again", (ctx, id, ct) => Guid.TryParse(id, out var order) ? Answered(ctx, () => screens.StartCreate(ctx, order, ct), ct) : Task.FromResult(false)),
        new("go", (ctx, id, ct) => Guid.TryParse(id, out var order) ? orderStart.StartAsync(ctx, order, ct) : Task.FromResult(false)),
        new("back", (ctx, _, ct) => ctx.OnCurrentScreen && ctx.OrderId is not null ? Answered(ctx, () => BackAsync(ctx, ct), ct) : Task.FromResult(false)),
        // A confirmation may also come back as a new message after a top-up: any of them edits or cancels the draft.
        new("edit", (ctx, _, ct) => OnConfirmation(ctx) ? Answered(ctx, () => screens.Step(ctx, ConversationState.Template, ct), ct) : Task.FromResult(false)),
        new("cancel", (ctx, _, ct) => OnConfirmation(ctx) ? Answered(ctx, () => CancelWithNoticeAsync(ctx, ct), ct) : Task.FromResult(false)),
        new("fmt", (ctx, format, ct) => OnConfirmation(ctx) && DbText.TryParse<VideoFormat>(format, out var f)
            ? Answered(ctx, () => ChangeAsync(ctx, DraftFields.Format, f, ct), ct) : Task.FromResult(false)),
        new("wbpick", articles.PickAsync),
        new("capt", (ctx, _, ct) => OnConfirmation(ctx) ? Answered(ctx, () => ToggleCaptionsAsync(ctx, ct), ct) : Task.FromResult(false)),
    ];

    // A new photo while the description is awaited replaces the order's photo.
    public IEnumerable<MessageRoute> Messages =>
        [new(ctx => ctx.State == ConversationState.Description && (ctx.Message?.Photo is { Length: > 0 } || ctx.Message?.Document is not null), photos.HandleAsync)];

    private static bool OnConfirmation(BotContext ctx) => ctx.State == ConversationState.Confirm && ctx.OrderId is not null;

    /// <summary>The button's spinner stops first, then its screen follows.</summary>
    private static async Task<bool> Answered(BotContext ctx, Func<Task> show, CancellationToken cancellationToken)
    {
        await ctx.Answer(cancellationToken: cancellationToken);
        await show();
        return true;
    }

    /// <summary>One setting of the order changed from its confirmation, which is shown again (edited in place).</summary>
    private async Task ChangeAsync<T>(BotContext ctx, DraftField<T> field, T value, CancellationToken cancellationToken)
    {
        var orderId = ctx.OrderId!.Value;
        await drafts.SetAsync(orderId, field, value, cancellationToken);
        await screens.Confirm(ctx, orderId, cancellationToken);
    }

    private async Task ToggleCaptionsAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var order = await drafts.GetAsync(ctx.OrderId!.Value, cancellationToken);
        if (order is null) return;
        await ChangeAsync(ctx, DraftFields.Captions, !order.WithCaptions, cancellationToken);
    }

    private async Task MenuAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        await CancelDraftAsync(ctx, cancellationToken);
        await screens.MainMenu(ctx, cancellationToken);
    }

    /// <summary>«◀️ Back»: the previous step's screen, the draft kept; from the first step, the menu (an empty draft is dropped).</summary>
    private async Task BackAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var order = await drafts.GetAsync(ctx.OrderId!.Value, cancellationToken);
        var previous = Screens.Previous(ctx.State, order?.Template);
        if (previous == ConversationState.Menu)
        {
            await MenuAsync(ctx, cancellationToken);
            return;
        }
        await screens.Step(ctx, previous, cancellationToken);
    }

    /// <summary>/cancel and «✖️ Cancel»: the draft goes, and the user is told which (nothing was charged for it).</summary>
    private async Task CancelWithNoticeAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var order = ctx.OrderId is { } id ? await drafts.GetAsync(id, cancellationToken) : null;
        string notice;
        if (order is { Status: "draft" })
        {
            await drafts.CancelAsync(order.Id, cancellationToken);
            if (ctx.PendingOrderId == order.Id) ctx.PendingOrderId = null;
            var product = ProductName.Of(order.Description, 40);
            notice = product.Length > 0 ? ctx.T("cancel.done", ("product", Html.Escape(product))) : ctx.T("cancel.done_empty");
        }
        else
        {
            notice = ctx.T("cancel.nothing");
        }
        ctx.OrderId = null;
        await screens.MainMenu(ctx, cancellationToken, notice);
    }

    /// <summary>Leaving for the menu drops the draft, unless it is the one waiting for a top-up.</summary>
    private async Task CancelDraftAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        if (ctx.OrderId is { } orderId && ctx.PendingOrderId != orderId)
        {
            await drafts.CancelAsync(orderId, cancellationToken);
        }
        ctx.OrderId = null;
    }

    private async Task SwitchLanguageAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var language = ctx.Language == "ru" ? "en" : "ru";
        await users.SetLanguageAsync(ctx.UserId, language, cancellationToken);
        ctx.User = ctx.User with { Language = language };
        await ctx.Reply(ctx.T("language.switched"), cancellationToken: cancellationToken);
        // In the middle of an order: the same step again, in the new language, the draft kept.
        if (ctx.OrderId is not null && ctx.State is not (ConversationState.Menu or ConversationState.Consent))
        {
            await screens.Step(ctx, ctx.State, cancellationToken);
            return;
        }
        await screens.MainMenu(ctx, cancellationToken, newMessage: true);
    }
}
