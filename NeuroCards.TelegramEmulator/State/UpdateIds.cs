namespace NeuroCards.TelegramEmulator.State;

/// <summary>
/// Where a bot's update ids start. Telegram's only grow, and the bot remembers the ids it handled (for days) to skip
/// repeats; an emulator that began at the same number on every start had a restarted local run's messages skipped as
/// "handled before". So ids start from the clock (tenths of a second since 2026, inside Telegram's 32-bit range until
/// 2032), and never below what this process already handed out.
/// </summary>
public static class UpdateIds
{
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static long _highWater;

    public static long First()
    {
        var fromClock = (long)((DateTime.UtcNow - Epoch).TotalSeconds * 10);
        long seen, next;
        do
        {
            seen = Interlocked.Read(ref _highWater);
            next = Math.Max(fromClock, seen + 100_000);
        }
        while (Interlocked.CompareExchange(ref _highWater, next, seen) != seen);
        return next;
    }
}
