namespace NeuroCards.Tests.Infrastructure;

/// <summary>
/// Waiting for what follows something a test can see — a write after a send, a restart after a kill: polled until it
/// holds or a deadline passes, so a slow machine waits longer instead of failing.
/// </summary>
public static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> when it does not in time.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, int seconds = 15, int pollMilliseconds = 100)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not so after {seconds} s");
            await Task.Delay(pollMilliseconds);
        }
    }

    /// <summary>The value once <paramref name="done"/> holds it, or the last one read when time is up (the caller's assertion then says what it was).</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, int seconds = 20, int pollMilliseconds = 100)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(pollMilliseconds);
        }
    }
}
