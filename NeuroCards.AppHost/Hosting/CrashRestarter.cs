using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroCards.Core.Hosting;

namespace NeuroCards.AppHost.Hosting;

/// <summary>
/// Aspire leaves a crashed process stopped; a worker that dies (kill -9, out of memory) is started again here,
/// like systemd's Restart=on-failure and compose's restart policy do in production. A clean exit (code 0: Ctrl+C,
/// or Stop in the dashboard) is left alone. Backoff grows with each crash of the same instance, up to 30 s.
/// </summary>
public sealed class CrashRestarter(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    ILogger<CrashRestarter> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, int> _crashes = new();
    private readonly ConcurrentDictionary<string, bool> _restarting = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (!update.Resource.Annotations.OfType<RestartOnCrashAnnotation>().Any()) continue;
                var snapshot = update.Snapshot;
                if (snapshot.State?.Text is not ("Exited" or "Finished" or "FailedToStart") || snapshot.ExitCode is null or 0) continue;
                if (lifetime.ApplicationStopping.IsCancellationRequested || !_restarting.TryAdd(update.ResourceId, true)) continue;
                _ = RestartAsync(update.ResourceId, snapshot.ExitCode.Value, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RestartAsync(string instance, int exitCode, CancellationToken cancellationToken)
    {
        try
        {
            var crashes = _crashes.AddOrUpdate(instance, 1, (_, n) => n + 1);
            var delay = Backoff.Exponential(crashes, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
            logger.LogWarning("{Instance} exited with code {ExitCode}; starting it again in {Delay} (crash {Crashes})", instance, exitCode, delay, crashes);
            await Task.Delay(delay, cancellationToken);
            if (lifetime.ApplicationStopping.IsCancellationRequested) return;
            var result = await commands.ExecuteCommandAsync(instance, KnownResourceCommands.StartCommand, cancellationToken);
            if (!result.Success) logger.LogError("{Instance} could not be started again: {Error}", instance, result.Message);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _restarting.TryRemove(instance, out _);
        }
    }
}
