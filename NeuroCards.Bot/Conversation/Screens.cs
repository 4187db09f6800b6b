using Microsoft.Extensions.Options;
using NeuroCards.Bot.Conversation.Steps;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Data;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Storage;
using NeuroCards.Core.Texts;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Conversation;

/// <summary>The screens several steps lead to (menu, template choice, count, confirmation), in one place.</summary>
public sealed class Screens(OrderDrafts drafts, Ledger ledger, IMediaStore store, TextCatalog texts, IOptions<BotOptions> options, ModelCatalog catalog,
    IServiceProvider services)
{
    public async Task MainMenu(BotContext ctx, CancellationToken cancellationToken, string? prefix = null, bool newMessage = false)
    {
        var balance = await ledger.GetBalanceAsync(ctx.UserId, cancellationToken);
        ctx.State = ConversationState.Menu;
        var text = (prefix is null ? "" : prefix + "\n\n") + ctx.T("menu.text", ("credits", ctx.Credits(balance)), ("price", ctx.Credits(await LowestPriceAsync(cancellationToken))));
        var keyboard = new InlineKeyboardMarkup(
        [
            [InlineKeyboardButton.WithCallbackData(ctx.T("menu.create"), "create")],
            [InlineKeyboardButton.WithCallbackData(ctx.T("menu.account"), "account")],
            [InlineKeyboardButton.WithUrl(ctx.T("menu.support"), options.Value.SupportUrl)],
        ]);
        if (newMessage) await ctx.Reply(text, keyboard, cancellationToken: cancellationToken);
        else await ctx.Screen(text, keyboard, cancellationToken);
    }

    public async Task StartCreate(BotContext ctx, Guid? copyFrom, CancellationToken cancellationToken)
    {
        var session = ctx.Session;
        var orderId = await drafts.CreateAsync(ctx.UserId, ctx.ChatId, ctx.Language, copyFrom, cancellationToken);
        ctx.OrderId = orderId;
        session.Data.Remove("pendingOrderId");
        var order = await drafts.GetAsync(orderId, cancellationToken);
        if (order?.PhotoKey is { } photo && !await store.ExistsAsync(photo, cancellationToken))
        {
            // «One more» after the photo's retention: never an order for a photo that is gone.
            await drafts.SetAsync(orderId, DraftFields.PhotoKey, null, cancellationToken);
            await ctx.Reply(ctx.T("again.photo_gone"), cancellationToken: cancellationToken);
            order = order with { PhotoKey = null };
        }
        if (order?.PhotoKey is not null && order.Description is not null)
        {
            await Template(ctx, cancellationToken);
            return;
        }
        await Step(ctx, ConversationState.Photo, cancellationToken);
    }

    public Task Template(BotContext ctx, CancellationToken cancellationToken) => Step(ctx, ConversationState.Template, cancellationToken);

    public Task Count(BotContext ctx, CancellationToken cancellationToken) => Step(ctx, ConversationState.Count, cancellationToken);

    /// <summary>Where «◀️ Back» leads from each step (the menu from the first).</summary>
    public static ConversationState Previous(ConversationState state, VideoTemplate? template) => state switch
    {
        ConversationState.Description => ConversationState.Photo,
        ConversationState.Template => ConversationState.Description,
        ConversationState.Wishes or ConversationState.Prompt => ConversationState.Template,
        ConversationState.PromptReview => ConversationState.Prompt,
        ConversationState.Count => template == VideoTemplate.Custom ? ConversationState.PromptReview : ConversationState.Wishes,
        ConversationState.Confirm => template == VideoTemplate.Card ? ConversationState.Wishes : ConversationState.Count,
        ConversationState.Preview => ConversationState.Wishes,
        _ => ConversationState.Menu,
    };

    /// <summary>
    /// The screen of a step of the create flow, in the user's language, with «◀️ Back» under it: the steps show
    /// their screens through here, and so do Back, «✏️ Edit» and a change of language (which keeps the draft).
    /// </summary>
    public async Task Step(BotContext ctx, ConversationState state, CancellationToken cancellationToken)
    {
        var order = ctx.OrderId is { } id ? await drafts.GetAsync(id, cancellationToken) : null;
        if (order is null || state == ConversationState.Menu)
        {
            await MainMenu(ctx, cancellationToken);
            return;
        }
        if (state == ConversationState.Confirm)
        {
            await Confirm(ctx, order.Id, cancellationToken);
            return;
        }
        // Each step draws its own screen (Steps/); the steps are looked up when drawn, since they lead here in turn.
        var step = services.GetServices<IStep>().FirstOrDefault(s => s.State == state);
        var screen = (step is null ? null : await step.DrawAsync(ctx, order, cancellationToken))
                     ?? throw new ArgumentOutOfRangeException(nameof(state), state, "not a step of the create flow");
        ctx.State = state;
        var rows = screen.Rows.ToList();
        rows.Add([InlineKeyboardButton.WithCallbackData(ctx.T("button.back"), "back")]);
        await ctx.Screen(screen.Text, new InlineKeyboardMarkup(rows), cancellationToken);
    }

    /// <summary>What one video costs with the cheapest model offered: the price a newcomer hears first.</summary>
    public async Task<int> LowestPriceAsync(CancellationToken cancellationToken) =>
        (await catalog.OfferedAsync(cancellationToken)).Select(m => m.Price).DefaultIfEmpty(1).Min();

    public async Task Confirm(BotContext ctx, Guid orderId, CancellationToken cancellationToken, bool asNewMessage = false)
    {
        var order = await drafts.GetAsync(orderId, cancellationToken);
        if (order is null || order.Count is null) return;
        ctx.State = ConversationState.Confirm;
        var model = await catalog.FindOfferedAsync(order.Model, cancellationToken);
        if (model is null)
        {
            // The draft's model was turned off since it was picked: the seller picks again, never confirms a model that is gone.
            await Step(ctx, ConversationState.Count, cancellationToken);
            return;
        }
        var text = ConfirmText(ctx.Language, order, model, await ledger.GetBalanceAsync(ctx.UserId, cancellationToken), out var keyboard);
        if (asNewMessage) await ctx.Reply(text, keyboard, cancellationToken: cancellationToken);
        else await ctx.Screen(text, keyboard, cancellationToken);
    }

    /// <summary>The confirmation (used by the conversation and after a top-up), at the model's price now.</summary>
    public string ConfirmText(string language, OrderDraft order, CatalogModel model, int balance, out InlineKeyboardMarkup keyboard)
    {
        string t(string key, (string, object?)[] args) => texts.Get(language, key, args);
        string credits(long n) => texts.Plural(language, "credits", n);
        var price = order.Template == VideoTemplate.Card && order.PricePerVideo is { } card ? card : model.Price;
        var cost = order.Count!.Value * price;
        if (order.Template == VideoTemplate.Card) return CardConfirmText(language, order, cost, balance, out keyboard);
        var text = t("confirm.text", [
            ("product", Html.Escape(ProductName.Of(order.Description, 60))),
            ("template", t("template." + order.Template?.ToDb(), [])), ("model", Html.Escape(model.Title)),
            ("count", order.Count), ("format", t("format." + order.Format.ToDb(), [])), ("seconds", Math.Max(8, model.Options.Seconds)),
            ("captions", t(order.WithCaptions ? "confirm.captions_on" : "confirm.captions_off", [])),
            ("cost", credits(cost)), ("price", credits(model.Price)), ("balance", credits(balance))]);
        var rows = new List<InlineKeyboardButton[]>
        {
            new[] { InlineKeyboardButton.WithCallbackData(t("confirm.start", []), $"go:{order.Id:N}") },
            // The frame and the captions are chosen here, where the whole order is in view.
            Enum.GetValues<VideoFormat>().Select(f => InlineKeyboardButton.WithCallbackData(
                (f == order.Format ? "✅ " : "") + f.Ratio(), $"fmt:{f.ToDb()}")).ToArray(),
            new[] { InlineKeyboardButton.WithCallbackData(t(order.WithCaptions ? "confirm.captions_button_on" : "confirm.captions_button_off", []), "capt") },
            new[] { InlineKeyboardButton.WithCallbackData(t("confirm.edit", []), "edit"), InlineKeyboardButton.WithCallbackData(t("confirm.cancel", []), "cancel") },
        };
        if (balance < cost)
        {
            // «не хватает 2 кредитов»: the missing amount is in the genitive.
            text += "\n\n" + t("confirm.short", [("missing", texts.Plural(language, "credits_gen", cost - balance)), ("cost", credits(cost)), ("balance", credits(balance))]);
            rows.Insert(0, [InlineKeyboardButton.WithCallbackData(t("confirm.topup", []), $"topup:{order.Id:N}")]);
        }
        keyboard = new InlineKeyboardMarkup(rows);
        return text;
    }

    /// <summary>A card video waiting for a top-up: its preview was approved, so only starting or cancelling is left.</summary>
    private string CardConfirmText(string language, OrderDraft order, int cost, int balance, out InlineKeyboardMarkup keyboard)
    {
        string t(string key, (string, object?)[] args) => texts.Get(language, key, args);
        string credits(long n) => texts.Plural(language, "credits", n);
        var text = t("confirm.card_text", [("product", Html.Escape(ProductName.Of(order.Description, 60))),
            ("format", t("format." + order.Format.ToDb(), [])), ("cost", credits(cost)), ("balance", credits(balance))]);
        var rows = new List<InlineKeyboardButton[]>
        {
            new[] { InlineKeyboardButton.WithCallbackData(t("confirm.start", []), $"go:{order.Id:N}") },
            new[] { InlineKeyboardButton.WithCallbackData(t("confirm.cancel", []), "cancel") },
        };
        if (balance < cost)
        {
            text += "\n\n" + t("confirm.short", [("missing", texts.Plural(language, "credits_gen", cost - balance)), ("cost", credits(cost)), ("balance", credits(balance))]);
            rows.Insert(0, [InlineKeyboardButton.WithCallbackData(t("confirm.topup", []), $"topup:{order.Id:N}")]);
        }
        keyboard = new InlineKeyboardMarkup(rows);
        return text;
    }
}
