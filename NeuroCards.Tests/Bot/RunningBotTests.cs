namespace NeuroCards.Tests.Bot;

/// <summary>Test classes whose every test talks to a bot that is already running (a fresh one per test).</summary>
public abstract class RunningBotTests(bool throughPgBouncer = false) : IAsyncLifetime
{
    protected readonly BotHarness h = new(throughPgBouncer);

    public async Task InitializeAsync()
    {
        await h.InitializeAsync();
        await h.StartBotAsync();
    }

    public Task DisposeAsync() => h.DisposeAsync();
}
