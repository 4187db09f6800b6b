using Microsoft.Extensions.Options;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Texts;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Conversation;

/// <summary>The screens several steps lead to (menu, template choice, count, confirmation), in one place.</summary>
public sealed class Screens(Ledger ledger, IOptions<BotOptions> options, IOptions<GenerationOptions> generation, IConfiguration configuration)
{
    public IReadOnlyDictionary<string, VideoModelOptions> Models
    {
        get
        {
            var all = generation.Value.EffectiveModels;
            // With Generation:Models configured, every model is offered; otherwise the default one (Kie:Model).
            if (generation.Value.Models.Count > 0) return all;
            var name = configuration["Kie:Model"] ?? "sora-2";
            return all.TryGetValue(name, out var model) ? new Dictionary<string, VideoModelOptions> { [name] = model } : all;
        }
    }

    public async Task MainMenu(BotContext ctx, CancellationToken cancellationToken, string? prefix = null, bool newMessage = false)
    {
        var balance = await ledger.GetBalanceAsync(ctx.UserId, cancellationToken);
        ctx.State = States.Menu;
        var text = (prefix is null ? "" : prefix + "\n\n") + ctx.T("menu.text", ("credits", ctx.Credits(balance)));
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
        var orderId = await OrderDrafts.CreateAsync(session.Connection, session.Transaction, ctx.UserId, ctx.ChatId, ctx.Language, copyFrom, cancellationToken);
        ctx.OrderId = orderId;
        session.Data.Remove("pendingOrderId");
        var order = await OrderDrafts.GetAsync(session.Connection, session.Transaction, orderId, cancellationToken);
        if (order?.PhotoKey is not null && order.Description is not null)
        {
            await Template(ctx, cancellationToken);
            return;
        }
        ctx.State = States.Photo;
        await ctx.Screen(ctx.T("photo.ask"), null, cancellationToken);
    }

    public async Task Template(BotContext ctx, CancellationToken cancellationToken)
    {
        ctx.State = States.Template;
        await ctx.Screen(ctx.T("template.ask"), new InlineKeyboardMarkup(
        [
            [InlineKeyboardButton.WithCallbackData(ctx.T("template.ugc"), "tpl:ugc")],
            [InlineKeyboardButton.WithCallbackData(ctx.T("template.ad"), "tpl:ad")],
            [InlineKeyboardButton.WithCallbackData(ctx.T("template.custom"), "tpl:custom")],
        ]), cancellationToken);
    }

    public async Task Count(BotContext ctx, CancellationToken cancellationToken)
    {
        ctx.State = States.Count;
        var models = Models;
        var rows = new List<InlineKeyboardButton[]>();
        foreach (var (name, model) in models)
        {
            rows.Add([.. new[] { 1, 3, 5 }.Select(n => InlineKeyboardButton.WithCallbackData(
                ctx.T("count.option", ("count", n), ("model", model.Title), ("credits", ctx.Credits(n * model.Price))), $"cnt:{name}:{n}"))]);
        }
        // One button per row reads better on phones.
        var keyboard = new InlineKeyboardMarkup(rows.SelectMany(r => r.Select(b => new[] { b })));
        await ctx.Screen(ctx.T(models.Count > 1 ? "count.ask_model" : "count.ask"), keyboard, cancellationToken);
    }

    public int PriceOf(string? model) =>
        model is not null && generation.Value.EffectiveModels.TryGetValue(model, out var m) ? m.Price : 1;

    public async Task Confirm(BotContext ctx, Guid orderId, CancellationToken cancellationToken, bool asNewMessage = false)
    {
        var order = await OrderDrafts.GetAsync(ctx.Session.Connection, ctx.Session.Transaction, orderId, cancellationToken);
        if (order is null || order.Count is null) return;
        ctx.State = States.Confirm;
        var text = ConfirmText(ctx.Language, ctx.T, ctx.Credits, order, await ledger.GetBalanceAsync(ctx.UserId, cancellationToken), out var keyboard);
        if (asNewMessage) await ctx.Reply(text, keyboard, cancellationToken: cancellationToken);
        else await ctx.Screen(text, keyboard, cancellationToken);
    }

    /// <summary>The confirmation (used by the conversation and after a top-up).</summary>
    public string ConfirmText(string language, Func<string, (string, object?)[], string> t, Func<long, string> credits, OrderDraft order, int balance,
        out InlineKeyboardMarkup keyboard)
    {
        var model = order.Model is not null && generation.Value.EffectiveModels.TryGetValue(order.Model, out var m) ? m : null;
        var cost = order.Count!.Value * PriceOf(order.Model);
        var text = t("confirm.text", [
            ("template", t("template." + order.Template, [])), ("model", Html.Escape(model?.Title ?? order.Model)),
            ("count", order.Count), ("cost", credits(cost)), ("balance", credits(balance))]);
        var rows = new List<InlineKeyboardButton[]> { new[] { InlineKeyboardButton.WithCallbackData(t("confirm.start", []), $"go:{order.Id:N}") } };
        if (balance < cost)
        {
            text += "\n\n" + t("confirm.short", [("missing", credits(cost - balance)), ("cost", credits(cost)), ("balance", credits(balance))]);
            rows.Insert(0, [InlineKeyboardButton.WithCallbackData(t("confirm.topup", []), $"topup:{order.Id:N}")]);
        }
        keyboard = new InlineKeyboardMarkup(rows);
        return text;
    }
}
