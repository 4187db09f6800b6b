namespace NeuroCards.TelegramEmulator.State;

/// <summary>What the next <see cref="Count"/> calls of a method get instead of an answer.</summary>
public sealed record Fault(string Kind, int Count, int RetryAfter = 1, int DelayMs = 0)
{
    public int Remaining { get; set; } = Count;
}
