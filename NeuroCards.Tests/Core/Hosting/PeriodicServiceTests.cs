using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Hosting;
using Polly.Timeout;
using Telegram.Bot.Exceptions;

namespace NeuroCards.Tests.Core.Hosting;

public sealed class PeriodicServiceTests
{
    /// <summary>Throws what reconciliation rounds have met in production: a Polly timeout, a 403 from Telegram, a bug.</summary>
    private sealed class FlakyRounds(ILogger logger) : PeriodicService(logger)
    {
        public int Rounds;

        protected override TimeSpan Interval => TimeSpan.FromMilliseconds(20);

        protected override Task RunOnceAsync(CancellationToken cancellationToken) => Interlocked.Increment(ref Rounds) switch
        {
            1 => throw new TimeoutRejectedException(),
            2 => throw new ApiRequestException("Forbidden: bot was blocked by the user", 403),
            3 => throw new InvalidOperationException("a bug"),
            _ => Task.CompletedTask,
        };
    }

    [Fact]
    public async Task A_round_that_throws_never_stops_the_host_and_the_next_rounds_come()
    {
        var rounds = new FlakyRounds(NullLogger.Instance);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHostedService(_ => rounds);
        using var host = builder.Build();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        await host.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref rounds.Rounds) < 6 && DateTime.UtcNow < deadline) await Task.Delay(20);

        Assert.True(rounds.Rounds >= 6);
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        await host.StopAsync();
    }
}
