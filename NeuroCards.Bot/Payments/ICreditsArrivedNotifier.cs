using NeuroCards.Bot.Outbox;

namespace NeuroCards.Bot.Payments;

/// <summary>What the user hears after credits are added (purchase or admin grant), said in the transaction that added them.</summary>
public interface ICreditsArrivedNotifier
{
    /// <summary>
    /// Tells the user the credits arrived and, when an order was waiting for a top-up, brings the
    /// user back to that order's confirmation with everything intact.
    /// </summary>
    Task<IReadOnlyList<OutgoingMessage>> MessagesAsync(long userId, int credits, int balance, Guid? pendingOrderId, CancellationToken cancellationToken);
}
