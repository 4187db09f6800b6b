using Microsoft.Extensions.Options;
using NeuroCards.Bot.Account;
using NeuroCards.Bot.Admin;
using NeuroCards.Bot.Payments;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Storage;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Conversation;

/// <summary>
/// Commands and buttons that work from anywhere go here; everything else goes to the handler of
/// the conversation's current step. Nothing works before consent.
/// </summary>
public sealed class UpdateRouter(
    IEnumerable<IStep> steps,
    Screens screens,
    Ledger ledger,
    AccountView account,
    AdminCommands admin,
    IServiceProvider services,
    IOptions<BotOptions> options,
    NpgsqlDataSource dataSource,
    IMediaStore store,
    ILogger<UpdateRouter> logger)
{
    private readonly Dictionary<string, IStep> _steps = steps.ToDictionary(s => s.State);

    public async Task RouteAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var command = Command(ctx.Text);
        if (command == "/start") { await StartAsync(ctx, cancellationToken); return; }
        if (ctx.Data == "consent") { await AcceptConsentAsync(ctx, cancellationToken); return; }
        if (ctx.User.ConsentAt is null)
        {
            await ctx.Answer(ctx.T("consent.required"), alert: true, cancellationToken: cancellationToken);
            if (ctx.Callback is null) await ShowConsentAsync(ctx, cancellationToken);
            return;
        }

        if (command is not null && await CommandAsync(ctx, command, cancellationToken)) return;
        if (ctx.Data is { } data && await ButtonAsync(ctx, data, cancellationToken)) return;
        if (ctx.Message?.Video is { } video && ctx.IsAdmin)
        {
            await ctx.Reply(ctx.T("admin.file_id", ("file_id", Html.Escape(video.FileId))), cancellationToken: cancellationToken);
            return;
        }
        if (ctx.Message?.SuccessfulPayment is not null)
        {
            await Payments(ctx).HandleSuccessfulPaymentAsync(ctx.Message, ctx.Language, cancellationToken);
            return;
        }

        // A new photo while the description is awaited replaces the order's photo.
        var state = ctx.State == States.Description && (ctx.Message?.Photo is { Length: > 0 } || ctx.Message?.Document is not null) ? States.Photo : ctx.State;
        if (_steps.TryGetValue(state, out var step))
        {
            await step.HandleAsync(ctx, cancellationToken);
            return;
        }
        await screens.MainMenu(ctx, cancellationToken);
    }

    private static string? Command(string? text)
    {
        if (text is null || !text.StartsWith('/')) return null;
        var word = text.Split([' ', '\n'], 2)[0];
        var at = word.IndexOf('@');
        return (at > 0 ? word[..at] : word).ToLowerInvariant();
    }

    private IPaymentsFlow Payments(BotContext ctx) => services.GetRequiredService<IPaymentsFlow>();

    private async Task StartAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        if (ctx.User.ConsentAt is null)
        {
            await ShowConsentAsync(ctx, cancellationToken);
            return;
        }
        await screens.MainMenu(ctx, cancellationToken);
    }

    private async Task ShowConsentAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        ctx.State = States.Consent;
        await ctx.Reply(ctx.T("consent.text", ("terms", Html.Escape(options.Value.TermsUrl)), ("privacy", Html.Escape(options.Value.PrivacyUrl))),
            new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData(ctx.T("consent.button"), "consent")), cancellationToken: cancellationToken);
    }

    private async Task AcceptConsentAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        await ctx.Answer(cancellationToken: cancellationToken);
        if (ctx.User.ConsentAt is not null)
        {
            await screens.MainMenu(ctx, cancellationToken);
            return;
        }
        await ctx.Session.Connection.ExecuteAsync(new CommandDefinition(
            "update users set consent_at = now(), consent_version = @version, updated_at = now() where id = @id",
            new { version = options.Value.ConsentVersion, id = ctx.UserId }, ctx.Session.Transaction, cancellationToken: cancellationToken));
        ctx.User = ctx.User with { ConsentAt = DateTime.UtcNow, ConsentVersion = options.Value.ConsentVersion };
        if (ctx.Callback?.Message is { } consentMessage)
        {
            // The consent stays readable, without a button to press again.
            try { await ctx.Bot.EditMessageReplyMarkup(ctx.ChatId, consentMessage.MessageId, null, cancellationToken: cancellationToken); }
            catch (Telegram.Bot.Exceptions.ApiRequestException) { }
        }
        var demos = options.Value.DemoVideos;
        if (demos.Count >= 2)
        {
            await ctx.Bot.SendMediaGroup(ctx.ChatId, demos.Take(10).Select(id => (IAlbumInputMedia)new InputMediaVideo(InputFile.FromFileId(id))),
                cancellationToken: cancellationToken);
        }
        else if (demos.Count == 1)
        {
            await ctx.Bot.SendVideo(ctx.ChatId, InputFile.FromFileId(demos[0]), cancellationToken: cancellationToken);
        }
        else
        {
            // None configured: the sample a worker made with the offline renderer, so the result is seen before paying.
            await using var sample = await store.OpenReadAsync(MediaKeys.DemoSample, cancellationToken);
            if (sample is not null)
            {
                await ctx.Bot.SendVideo(ctx.ChatId, InputFile.FromStream(sample.Content, "sample.mp4"), caption: ctx.T("welcome.sample"),
                    parseMode: ParseMode.Html, width: 720, height: 1280, supportsStreaming: true, cancellationToken: cancellationToken);
            }
        }
        await ctx.Reply(ctx.T("welcome.text", ("credits", ctx.Credits(Ledger.SignUpBonus)), ("videos", ctx.Plural("videos", Ledger.SignUpBonus)),
                ("price", ctx.Credits(screens.LowestPrice))),
            cancellationToken: cancellationToken);
        await screens.MainMenu(ctx, cancellationToken, newMessage: true);
    }

    private async Task<bool> CommandAsync(BotContext ctx, string command, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case "/menu":
                await CancelDraftAsync(ctx, cancellationToken);
                await screens.MainMenu(ctx, cancellationToken);
                return true;
            case "/account":
                await account.ShowAsync(ctx, cancellationToken);
                return true;
            case "/buy":
                await Payments(ctx).ShowPacksAsync(ctx.ChatId, ctx.UserId, ctx.Language, PendingOrder(ctx), null, cancellationToken);
                return true;
            case "/help":
                await ctx.Reply(ctx.T("help.text"), cancellationToken: cancellationToken);
                return true;
            case "/cancel":
                await CancelWithNoticeAsync(ctx, cancellationToken);
                return true;
            case "/language":
                await SwitchLanguageAsync(ctx, cancellationToken);
                return true;
            case "/stats" or "/user" or "/grant" or "/refund" or "/broadcast" or "/refundstars":
                await admin.HandleAsync(ctx, command, cancellationToken);
                return true;
            default:
                await ctx.Reply(ctx.T("unknown.command"), cancellationToken: cancellationToken);
                return true;
        }
    }

    private static Guid? PendingOrder(BotContext ctx) =>
        ctx.Session.Data["pendingOrderId"]?.GetValue<string>() is { } s && Guid.TryParse(s, out var id) ? id : null;

    private async Task<bool> ButtonAsync(BotContext ctx, string data, CancellationToken cancellationToken)
    {
        var (verb, argument) = data.IndexOf(':') is var colon and > 0 ? (data[..colon], data[(colon + 1)..]) : (data, "");
        Guid? id = Guid.TryParse(argument, out var parsed) ? parsed : null;
        switch (verb)
        {
            case "menu":
                await ctx.Answer(cancellationToken: cancellationToken);
                await screens.MainMenu(ctx, cancellationToken);
                return true;
            case "create":
                await ctx.Answer(cancellationToken: cancellationToken);
                await screens.StartCreate(ctx, null, cancellationToken);
                return true;
            case "account":
                await ctx.Answer(cancellationToken: cancellationToken);
                await account.ShowAsync(ctx, cancellationToken);
                return true;
            case "lang":
                await ctx.Answer(cancellationToken: cancellationToken);
                await SwitchLanguageAsync(ctx, cancellationToken);
                return true;
            case "again" when id is not null:
                await ctx.Answer(cancellationToken: cancellationToken);
                await screens.StartCreate(ctx, id, cancellationToken);
                return true;
            case "go" when id is not null:
                await StartOrderAsync(ctx, id.Value, cancellationToken);
                return true;
            case "topup" when id is not null:
                await ctx.Answer(cancellationToken: cancellationToken);
                ctx.Session.Data["pendingOrderId"] = id.Value.ToString();
                await Payments(ctx).ShowPacksAsync(ctx.ChatId, ctx.UserId, ctx.Language, id, null, cancellationToken);
                return true;
            case "resend" when id is not null:
                await ctx.Answer(cancellationToken: cancellationToken);
                await account.ResendAsync(ctx, id.Value, cancellationToken);
                return true;
            case "pay":
                await Payments(ctx).HandleCallbackAsync(ctx.Callback!, ctx.Language, cancellationToken);
                return true;
            case "back" when OnCurrentScreen(ctx) && ctx.OrderId is not null:
                await ctx.Answer(cancellationToken: cancellationToken);
                await BackAsync(ctx, cancellationToken);
                return true;
            // A confirmation may also come back as a new message after a top-up: any of them edits or cancels the draft.
            case "edit" when ctx.State == States.Confirm && ctx.OrderId is not null:
                await ctx.Answer(cancellationToken: cancellationToken);
                await screens.Step(ctx, States.Template, cancellationToken);
                return true;
            case "cancel" when ctx.State == States.Confirm && ctx.OrderId is not null:
                await ctx.Answer(cancellationToken: cancellationToken);
                await CancelWithNoticeAsync(ctx, cancellationToken);
                return true;
        }
        // Buttons of the current step are the step's; anything else is old or forged.
        if (StepOwns(ctx.State, verb) && ctx.Callback?.Message?.MessageId == ctx.Session.MenuMessageId) return false;
        await StaleButtonAsync(ctx, cancellationToken);
        return true;
    }

    /// <summary>
    /// A button of a step that is done: a notice says so, and that old message loses its buttons — it is not turned
    /// into the menu far up in the history, and the current step stays where it is.
    /// </summary>
    private static async Task StaleButtonAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        await ctx.Answer(ctx.T("button.stale"), cancellationToken: cancellationToken);
        if (ctx.Callback?.Message is { } old && old.MessageId != ctx.Session.MenuMessageId)
        {
            await ctx.RemoveButtonsAsync(old.MessageId, cancellationToken);
        }
    }

    private static bool OnCurrentScreen(BotContext ctx) => ctx.Callback?.Message?.MessageId == ctx.Session.MenuMessageId;

    /// <summary>«◀️ Back»: the previous step's screen, the draft kept; from the first step, the menu (an empty draft is dropped).</summary>
    private async Task BackAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var order = await OrderDrafts.GetAsync(ctx.Session.Connection, ctx.Session.Transaction, ctx.OrderId!.Value, cancellationToken);
        var previous = Screens.Previous(ctx.State, order?.Template);
        if (previous == States.Menu)
        {
            await CancelDraftAsync(ctx, cancellationToken);
            await screens.MainMenu(ctx, cancellationToken);
            return;
        }
        await screens.Step(ctx, previous, cancellationToken);
    }

    /// <summary>/cancel and «✖️ Cancel»: the draft goes, and the user is told which (nothing was charged for it).</summary>
    private async Task CancelWithNoticeAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var order = ctx.OrderId is { } id ? await OrderDrafts.GetAsync(ctx.Session.Connection, ctx.Session.Transaction, id, cancellationToken) : null;
        string notice;
        if (order is { Status: "draft" })
        {
            await OrderDrafts.CancelAsync(ctx.Session.Connection, ctx.Session.Transaction, order.Id, cancellationToken);
            if (PendingOrder(ctx) == order.Id) ctx.Session.Data.Remove("pendingOrderId");
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

    private static bool StepOwns(string state, string verb) => (state, verb) switch
    {
        (States.Template, "tpl") => true,
        (States.Description, "desc") => true,
        (States.Wishes, "skip") => true,
        (States.PromptReview, "approve" or "addmore") => true,
        (States.Count, "cnt") => true,
        _ => false,
    };

    /// <summary>"🚀 Start": charges the whole order once, whichever old or repeated press it is.</summary>
    private async Task StartOrderAsync(BotContext ctx, Guid orderId, CancellationToken cancellationToken)
    {
        var order = await OrderDrafts.GetAsync(ctx.Session.Connection, ctx.Session.Transaction, orderId, cancellationToken);
        if (order is null || order.UserId != ctx.UserId)
        {
            await StaleButtonAsync(ctx, cancellationToken);
            return;
        }
        var trace = System.Diagnostics.Activity.Current?.Id;
        var result = await ledger.ConfirmOrderAsync(orderId, screens.PriceOf(order.Model), trace, cancellationToken);
        switch (result)
        {
            case ConfirmOrderResult.Confirmed { AlreadyConfirmed: true }:
                await ctx.Answer(ctx.T("order.already"), alert: true, cancellationToken: cancellationToken);
                return;
            case ConfirmOrderResult.Confirmed confirmed:
                await ctx.Answer(cancellationToken: cancellationToken);
                logger.LogInformation("Order {OrderId} confirmed: {Count} job(s), {Cost} credit(s)", orderId, confirmed.JobIds.Count, confirmed.Cost);
                var text = ctx.T("order.started", ("videos", ctx.Plural("videos", confirmed.JobIds.Count)));
                int statusMessage;
                if (ctx.Callback?.Message is { } shown)
                {
                    // The confirmation becomes the order's one status message, which the worker edits.
                    await ctx.Bot.EditMessageText(ctx.ChatId, shown.MessageId, text, ParseMode.Html, cancellationToken: cancellationToken);
                    statusMessage = shown.MessageId;
                }
                else
                {
                    statusMessage = (await ctx.Bot.SendMessage(ctx.ChatId, text, ParseMode.Html, cancellationToken: cancellationToken)).MessageId;
                }
                await OrderDrafts.SetStatusMessageAsync(dataSource, orderId, statusMessage, text, cancellationToken);
                ctx.Session.Data.Remove("pendingOrderId");
                ctx.OrderId = null;
                ctx.State = States.Menu;
                return;
            case ConfirmOrderResult.InsufficientBalance:
                await ctx.Answer(cancellationToken: cancellationToken);
                ctx.Session.Data["pendingOrderId"] = orderId.ToString();
                ctx.OrderId = orderId;
                await screens.Confirm(ctx, orderId, cancellationToken);
                return;
            case ConfirmOrderResult.Incomplete:
                await ctx.Answer(ctx.T("order.incomplete"), alert: true, cancellationToken: cancellationToken);
                await screens.MainMenu(ctx, cancellationToken);
                return;
            default:
                await StaleButtonAsync(ctx, cancellationToken);
                return;
        }
    }

    private static async Task CancelDraftAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        if (ctx.OrderId is { } orderId && PendingOrder(ctx) != orderId)
        {
            await OrderDrafts.CancelAsync(ctx.Session.Connection, ctx.Session.Transaction, orderId, cancellationToken);
        }
        ctx.OrderId = null;
    }

    private async Task SwitchLanguageAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var language = ctx.Language == "ru" ? "en" : "ru";
        await ctx.Session.Connection.ExecuteAsync(new CommandDefinition("update users set language = @language where id = @id",
            new { language, id = ctx.UserId }, ctx.Session.Transaction, cancellationToken: cancellationToken));
        ctx.User = ctx.User with { Language = language };
        await ctx.Reply(ctx.T("language.switched"), cancellationToken: cancellationToken);
        // In the middle of an order: the same step again, in the new language, the draft kept.
        if (ctx.OrderId is not null && ctx.State is not (States.Menu or States.Consent))
        {
            await screens.Step(ctx, ctx.State, cancellationToken);
            return;
        }
        await screens.MainMenu(ctx, cancellationToken, newMessage: true);
    }
}
