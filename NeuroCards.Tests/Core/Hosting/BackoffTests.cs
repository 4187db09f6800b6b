using NeuroCards.Core.Hosting;

namespace NeuroCards.Tests.Core.Hosting;

/// <summary>How long things wait before trying again: growing, capped, and spread so that failures together do not return together.</summary>
public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(4, 240)]
    public void Each_failure_doubles_the_wait_within_a_fifth_either_way(int attempt, double seconds)
    {
        var waits = Enumerable.Range(0, 200).Select(_ => Backoff.Exponential(attempt, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(15)).TotalSeconds).ToList();

        Assert.All(waits, w => Assert.InRange(w, seconds * 0.8, seconds * 1.2));
    }

    [Fact]
    public void The_wait_never_passes_its_cap()
    {
        var waits = Enumerable.Range(1, 60).Select(a => Backoff.Exponential(a, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(15)));

        Assert.All(waits, w => Assert.True(w <= TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void Jobs_that_failed_together_come_back_at_different_times()
    {
        var waits = Enumerable.Range(0, 50).Select(_ => Backoff.Exponential(3, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(15))).ToHashSet();

        Assert.True(waits.Count > 40, $"only {waits.Count} distinct waits of 50");
    }

    [Fact]
    public async Task A_call_at_start_is_tried_again_until_it_succeeds()
    {
        var calls = 0;
        var retried = new List<int>();

        await Backoff.UntilSuccess(e => e is HttpRequestException, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5), (_, attempt) => retried.Add(attempt))
            .ExecuteAsync(_ => ++calls < 4 ? throw new HttpRequestException("Telegram is unreachable") : ValueTask.CompletedTask, TestContext.Current.CancellationToken);

        Assert.Equal(4, calls);
        Assert.Equal([1, 2, 3], retried);
    }
}
