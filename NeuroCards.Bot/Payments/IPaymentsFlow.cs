using NeuroCards.Bot.Routing;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Payments;

namespace NeuroCards.Bot.Payments;

/// <summary>
/// The seam between the conversation and buying credits: the conversation routes these updates
/// here; the payments feature owns packs, invoices, YooKassa and crediting.
/// </summary>
public interface IPaymentsFlow
{
    /// <summary>/buy, the account's "buy credits" button, or the short-balance "top up" button (with the order kept).</summary>
    Task ShowPacksAsync(BotContext ctx, CancellationToken cancellationToken);

    /// <summary>Callback data starting with <see cref="CallbackPrefix"/>.</summary>
    Task HandleCallbackAsync(BotContext ctx, CancellationToken cancellationToken);

    Task HandlePreCheckoutAsync(PreCheckoutQuery query, CancellationToken cancellationToken);

    Task HandleSuccessfulPaymentAsync(Message message, string language, CancellationToken cancellationToken);

    /// <summary>Credits a Stars payment Telegram has confirmed (once, whoever calls first) and tells the user.</summary>
    Task CreditStarsAsync(Guid paymentId, string telegramChargeId, CancellationToken cancellationToken);

    const string CallbackPrefix = "pay:";
}
