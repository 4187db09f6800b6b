using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.TelegramEmulator;

/// <summary>One emulator per test class; each test uses its own bot token so tests never see each other.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public EmulatorHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await EmulatorHost.StartAsync();

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
