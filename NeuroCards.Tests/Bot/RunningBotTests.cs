namespace NeuroCards.Tests.Bot;

/// <summary>Test classes whose every test talks to a bot that is already running (a fresh one per test).</summary>
public abstract class RunningBotTests(bool throughPgBouncer = false) : IAsyncLifetime
{
    protected readonly BotHarness h = new(throughPgBouncer);

    public async ValueTask InitializeAsync()
    {
        await h.InitializeAsync();
        await h.StartBotAsync();
    }

    public ValueTask DisposeAsync() => h.DisposeAsync();
}
