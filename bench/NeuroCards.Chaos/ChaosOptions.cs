namespace NeuroCards.Chaos;

/// <summary>How big and how rough a chaos run is.</summary>
public sealed record ChaosOptions
{
    public int Orders { get; init; } = 500;
    public int Users { get; init; } = 60;
    public int Workers { get; init; } = 2;

    /// <summary>Bot replicas behind one webhook URL (a balancer with no stickiness), each killed now and then.</summary>
    public int BotReplicas { get; init; } = 2;

    /// <summary>Every so many orders an admin grants a seller a credit, and every other time refunds a queued job (/grant, /refund).</summary>
    public int AdminEvery { get; init; } = 10;

    /// <summary>Every so many orders Telegram answers the next calls of a method with 429 (retry after 1–3 s).</summary>
    public int TooManyRequestsEvery { get; init; } = 25;

    /// <summary>One user in this many has blocked the bot.</summary>
    public int BlockedOneIn { get; init; } = 15;
    public int Seed { get; init; } = 1;

    /// <summary>Orders are placed over this time while processes are killed; then the run waits for the queue to drain.</summary>
    public TimeSpan PlacingTime { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Mean time between two kill -9s (a worker or the bot, at random).</summary>
    public TimeSpan KillEvery { get; init; } = TimeSpan.FromSeconds(6);

    public int PostgresRestarts { get; init; } = 2;

    /// <summary>
    /// Where photos and videos live. Object storage (Azurite) by default, as in production; with Local the bot serves the
    /// photos KIE fetches, so every bot restart also makes KIE's photo fetches fail.
    /// </summary>
    public bool LocalStorage { get; init; }

    /// <summary>Longest wait for the queue to drain after the last order.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(20);
}
