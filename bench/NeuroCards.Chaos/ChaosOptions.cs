namespace NeuroCards.Chaos;

/// <summary>How big and how rough a chaos run is.</summary>
public sealed record ChaosOptions
{
    public int Orders { get; init; } = 500;
    public int Users { get; init; } = 60;
    public int Workers { get; init; } = 2;
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
