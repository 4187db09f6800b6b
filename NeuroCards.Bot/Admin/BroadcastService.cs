using NeuroCards.Core.Broadcasts;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Users;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Bot.Admin;

/// <summary>
/// Sends running broadcasts at most 25 messages a second (Telegram allows about 30) and one per
/// chat, moving a cursor after every message so a restart resumes where it stopped. Users who
/// blocked the bot are marked and skipped from then on. With several bot replicas one sends: it holds the
/// "broadcasts" <see cref="ClusterLease"/> and renews it before every message, so another replica takes over only
/// after it stopped (died, or stalled past the lease) — and then from the cursor.
/// </summary>
public sealed class BroadcastService(BroadcastStore broadcasts, UserStore users, ClusterLease lease, ITelegramBotClient bot,
    ILogger<BroadcastService> logger) : BackgroundService
{
    public static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(40);
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(30);
    public const string LeaseName = "broadcasts";

    /// <summary>This replica as the lease's owner (tests run two "replicas" in one process).</summary>
    public string Owner { get; init; } = ClusterLease.Replica;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await SendBatchAsync(stoppingToken)) await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or HttpRequestException or RequestException)
            {
                logger.LogWarning(e, "Broadcast paused after an error; resuming shortly");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    /// <summary>Sends up to 25 messages of the oldest running broadcast; false when there is nothing to send.</summary>
    public async Task<bool> SendBatchAsync(CancellationToken cancellationToken)
    {
        var broadcast = await broadcasts.OldestRunningAsync(cancellationToken);
        if (broadcast is null) return false;
        if (!await lease.TryHoldAsync(LeaseName, LeaseTime, cancellationToken, Owner)) return false;
        // The cursor as it is now: another replica may have moved it before this one took the lease over.
        broadcast = await broadcasts.OldestRunningAsync(cancellationToken);
        if (broadcast is null) return false;
        var recipients = await users.ReachableAfterAsync(broadcast.LastUserId, 25, cancellationToken);
        if (recipients.Count == 0)
        {
            await broadcasts.FinishAsync(broadcast.Id, cancellationToken);
            logger.LogInformation("Broadcast {BroadcastId} finished", broadcast.Id);
            return true;
        }
        foreach (var userId in recipients)
        {
            if (!await lease.TryHoldAsync(LeaseName, LeaseTime, cancellationToken, Owner)) return false;
            var started = DateTime.UtcNow;
            var sent = false;
            try
            {
                await bot.SendMessage(userId, broadcast.Text, ParseMode.Html, cancellationToken: cancellationToken);
                sent = true;
            }
            catch (ApiRequestException e) when (e.ErrorCode == 403)
            {
                await users.MarkBlockedAsync(userId, cancellationToken);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 400)
            {
                logger.LogWarning("Broadcast {BroadcastId} not delivered to {UserId}: {Error}", broadcast.Id, userId, e.Message);
            }
            await broadcasts.AdvanceAsync(broadcast.Id, userId, sent, cancellationToken);
            var left = Pace - (DateTime.UtcNow - started);
            if (left > TimeSpan.Zero) await Task.Delay(left, cancellationToken);
        }
        return true;
    }
}
