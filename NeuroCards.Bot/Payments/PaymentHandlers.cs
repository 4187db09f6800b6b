using NeuroCards.Bot.Routing;

namespace NeuroCards.Bot.Payments;

/// <summary>/buy, the packs and top-up buttons, and Telegram's receipt of a Stars payment.</summary>
public sealed class PaymentHandlers(PaymentsFlow payments, StarsCheckout stars) : IHandlerTable
{
    public IEnumerable<BotCommand> Commands =>
        [new("/buy", (ctx, ct) => payments.ShowPacksAsync(ctx, ct))];

    public IEnumerable<BotButton> Buttons =>
    [
        new(PayButton.Verb, async (ctx, _, ct) =>
        {
            await payments.HandleCallbackAsync(ctx, ct);
            return true;
        }),
        // «Top up» under a confirmation short of credits: the order waits, and comes back when the credits arrive.
        new("topup", async (ctx, id, ct) =>
        {
            if (!Guid.TryParse(id, out var orderId)) return false;
            await ctx.Answer(cancellationToken: ct);
            ctx.PendingOrderId = orderId;
            await payments.ShowPacksAsync(ctx, ct);
            return true;
        }),
    ];

    public IEnumerable<MessageRoute> Messages =>
        [new(ctx => ctx.Message?.SuccessfulPayment is not null, (ctx, ct) => stars.HandleSuccessfulPaymentAsync(ctx.Message!, ct))];
}
