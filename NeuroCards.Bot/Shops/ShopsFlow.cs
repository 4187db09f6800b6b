using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Data;
using NeuroCards.Core.Shops;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Shops;

/// <summary>
/// /shops: the seller's connected shops, with their expiry, to remove or to run a whole catalogue from; and connecting
/// one. The secret arrives as a message, which is deleted at once and checked before the update's transaction
/// (<see cref="ShopSecretChecker"/>); here it is only sealed and stored, or the reason it was refused is shown.
/// </summary>
public sealed class ShopsFlow(Core.Shops.Shops shops, IOptions<ShopOptions> options) : IHandlerTable
{
    public const string AwaitKey = "shopConnect";

    public IEnumerable<BotCommand> Commands => [new("/shops", ShowAsync)];

    public IEnumerable<BotButton> Buttons =>
    [
        new("shops", async (ctx, _, ct) =>
        {
            await ctx.Answer(cancellationToken: ct);
            await ShowAsync(ctx, ct);
            return true;
        }),
        new("shop", HandleButtonAsync),
    ];

    public IEnumerable<MessageRoute> Messages =>
        [new(ctx => AwaitedSecret(ctx.Session.Data, ctx.State) is not null && ctx.Text is { Length: > 0 } t && !t.StartsWith('/'), ConnectAsync)];

    /// <summary>The marketplace whose key the chat's next text message is, if the seller pressed «➕» there last.</summary>
    public static Marketplace? AwaitedSecret(ConversationPeek conversation) => AwaitedSecret(conversation.Data, conversation.State);

    private static Marketplace? AwaitedSecret(JsonObject data, ConversationState? state) =>
        AwaitedText.Get(data, AwaitKey, state)?["marketplace"] is JsonValue value && DbText.TryParse<Marketplace>(value.ToString(), out var marketplace)
            ? marketplace
            : null;

    private static void AwaitSecret(BotContext ctx, Marketplace marketplace) =>
        AwaitedText.Set(ctx.Session.Data, AwaitKey, new JsonObject { ["marketplace"] = marketplace.ToDb() }, ctx.State);

    public async Task ShowAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        ctx.Session.Data.Remove(AwaitKey);
        if (!options.Value.Enabled)
        {
            await ctx.Screen(ctx.T("shops.off"), new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData(ctx.T("worker.button.menu"), "menu")]]),
                cancellationToken);
            return;
        }
        var list = await shops.ListAsync(ctx.UserId, cancellationToken);
        var lines = list.Count == 0 ? ctx.T("shops.none") : string.Join("\n", list.Select(s => Line(ctx, s)));
        var rows = new List<InlineKeyboardButton[]>();
        foreach (var shop in list)
        {
            var row = new List<InlineKeyboardButton>();
            if (shop.Kind == Marketplace.Wb) row.Add(InlineKeyboardButton.WithCallbackData(ctx.T("shops.button.catalogue"), BatchFlow.NewBatchData(shop.Id)));
            row.Add(InlineKeyboardButton.WithCallbackData(ctx.T("shops.button.remove", ("shop", Name(ctx, shop))), $"shop:del:{shop.Id:N}"));
            rows.Add([.. row]);
        }
        rows.Add([.. Enum.GetValues<Marketplace>().Select(m => InlineKeyboardButton.WithCallbackData(ctx.T("shops.button.add", ("place", ctx.T("place." + m.ToDb()))), $"shop:add:{m.ToDb()}"))]);
        rows.Add([InlineKeyboardButton.WithCallbackData(ctx.T("worker.button.menu"), "menu")]);
        await ctx.Screen(ctx.T("shops.text", ("shops", lines)), new InlineKeyboardMarkup(rows), cancellationToken);
    }

    private async Task<bool> HandleButtonAsync(BotContext ctx, string argument, CancellationToken cancellationToken)
    {
        switch (argument.Split(':'))
        {
            case ["add", var place] when DbText.TryParse<Marketplace>(place, out var marketplace) && options.Value.Enabled:
                await ctx.Answer(cancellationToken: cancellationToken);
                AwaitSecret(ctx, marketplace);
                await ctx.Screen(ctx.T("shops.ask." + marketplace.ToDb()),
                    new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData(ctx.T("button.back"), "shops")]]), cancellationToken);
                return true;
            case ["del", var id] when Guid.TryParseExact(id, "N", out var shopId):
                var removed = await shops.RemoveAsync(shopId, ctx.UserId, cancellationToken);
                await ctx.Answer(removed ? ctx.T("shops.removed") : null, cancellationToken: cancellationToken);
                await ShowAsync(ctx, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    private async Task ConnectAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var marketplace = AwaitedSecret(ctx.Session.Data, ctx.State)!.Value;
        ctx.Session.Data.Remove(AwaitKey);
        // Checked before this transaction; a check that did not run (another replica moved the chat on) asks again.
        if (ctx.Prefetched.Secret is not { } check || check.Marketplace != marketplace)
        {
            await ctx.Reply(ctx.T("shops.again"), cancellationToken: cancellationToken);
            return;
        }
        if (!check.Passed)
        {
            AwaitSecret(ctx, marketplace);
            await ctx.Reply(ctx.T(check.Problem!, check.ProblemArgs) + "\n\n" + ctx.T("shops.try_again"), cancellationToken: cancellationToken);
            return;
        }
        var shop = await shops.ConnectAsync(ctx.UserId, marketplace, check.Account!, check.Secret!, check.ExpiresAt, cancellationToken);
        await ctx.Reply(ctx.T("shops.connected", ("shop", Name(ctx, shop))), cancellationToken: cancellationToken);
        await ShowAsync(ctx, cancellationToken);
    }

    public static string Name(BotContext ctx, Shop shop) => shop.Kind == Marketplace.Wb
        ? $"{ctx.T("place.wb")} {shop.Hint}"
        : $"{ctx.T("place." + shop.Marketplace)} {shop.Account}";

    private static string Line(BotContext ctx, Shop shop) => shop.ExpiresAt is { } expires
        ? ctx.T("shops.line_expires", ("shop", Core.Texts.Html.Escape(Name(ctx, shop))), ("date", expires.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)))
        : ctx.T("shops.line", ("shop", Core.Texts.Html.Escape(Name(ctx, shop))));
}
