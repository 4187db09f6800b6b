namespace NeuroCards.Bot.Payments;

/// <summary>Called after credits are added (purchase or admin grant).</summary>
public interface ICreditsArrivedNotifier
{
    /// <summary>
    /// Tells the user the credits arrived and, when an order was waiting for a top-up, brings the
    /// user back to that order's confirmation with everything intact.
    /// </summary>
    Task CreditsArrivedAsync(long userId, int credits, int balance, Guid? pendingOrderId, CancellationToken cancellationToken);
}
