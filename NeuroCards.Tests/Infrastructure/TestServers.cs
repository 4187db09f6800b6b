[assembly: AssemblyFixture(typeof(NeuroCards.Tests.Infrastructure.TestServers))]

namespace NeuroCards.Tests.Infrastructure;

/// <summary>
/// The servers a whole run shares (PostgreSQL, PgBouncer) are stopped here, after the last test and before the runner
/// returns. Stopped from ProcessExit instead, they kept the process alive past xunit v3's foreground-thread watchdog,
/// which then failed a green run ("Foreground threads were left running, forcing process exit").
/// </summary>
public sealed class TestServers : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        // The pooler first: it holds connections to the cluster.
        await PgBouncerServer.StopAsync();
        await PostgresServer.StopAsync();
    }
}
