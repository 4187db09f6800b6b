using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace NeuroCards.Tests.AppHost;

/// <summary>A resource that cannot start fails the services that wait for it, instead of leaving them "Waiting" forever.</summary>
[Collection("AppHost")]
public sealed class AppHostFailureTests : IAsyncLifetime
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "nc-apphost-fail-" + Guid.NewGuid().ToString("N")[..8]);

    public ValueTask InitializeAsync()
    {
        // The cluster's folder is a file: initdb can never create the cluster.
        Directory.CreateDirectory(_state);
        File.WriteAllText(Path.Combine(_state, "postgres"), "not a folder");
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task When_postgres_cannot_be_created_the_bot_and_the_worker_fail_to_start_instead_of_waiting()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NeuroCards_AppHost>(
            ["--state-dir", _state, "--storage", "local"], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);

        var init = await app.ResourceNotifications.WaitForResourceAsync("postgres-init", e => e.Snapshot.ExitCode is not (null or 0), timeout.Token);
        Assert.NotEqual(0, init.Snapshot.ExitCode);
        foreach (var service in new[] { "neurocards", "bot", "worker" })
        {
            var failed = await app.ResourceNotifications.WaitForResourceAsync(service, e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);
            Assert.Equal(KnownResourceStates.FailedToStart, failed.Snapshot.State?.Text);
        }
        await app.StopAsync(timeout.Token);
    }
}
