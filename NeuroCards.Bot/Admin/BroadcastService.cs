using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Bot.Admin;

/// <summary>
/// Sends running broadcasts at most 25 messages a second (Telegram allows about 30) and one per
/// chat, moving a cursor after every message so a restart resumes where it stopped. Users who
/// blocked the bot are marked and skipped from then on.
/// </summary>
public sealed class BroadcastService(NpgsqlDataSource dataSource, ITelegramBotClient bot, ILogger<BroadcastService> logger) : BackgroundService
{
    public static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(40);

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
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var broadcast = await conn.QuerySingleOrDefaultAsync<(long Id, string Text, long LastUserId)>(new CommandDefinition(
            "select id, text, last_user_id from broadcasts where status = 'running' order by id limit 1", cancellationToken: cancellationToken));
        if (broadcast.Id == 0) return false;
        var users = (await conn.QueryAsync<long>(new CommandDefinition(
            "select id from users where id > @LastUserId and blocked_at is null and consent_at is not null order by id limit 25",
            new { broadcast.LastUserId }, cancellationToken: cancellationToken))).ToList();
        if (users.Count == 0)
        {
            await conn.ExecuteAsync(new CommandDefinition("update broadcasts set status = 'done', finished_at = now() where id = @Id",
                new { broadcast.Id }, cancellationToken: cancellationToken));
            logger.LogInformation("Broadcast {BroadcastId} finished", broadcast.Id);
            return true;
        }
        foreach (var userId in users)
        {
            var started = DateTime.UtcNow;
            var sent = 0;
            try
            {
                await bot.SendMessage(userId, broadcast.Text, ParseMode.Html, cancellationToken: cancellationToken);
                sent = 1;
            }
            catch (ApiRequestException e) when (e.ErrorCode == 403)
            {
                await conn.ExecuteAsync(new CommandDefinition("update users set blocked_at = now() where id = @userId", new { userId }, cancellationToken: cancellationToken));
            }
            catch (ApiRequestException e) when (e.ErrorCode == 400)
            {
                logger.LogWarning("Broadcast {BroadcastId} not delivered to {UserId}: {Error}", broadcast.Id, userId, e.Message);
            }
            await conn.ExecuteAsync(new CommandDefinition("""
                update broadcasts set last_user_id = @userId, sent = sent + @sent, failed = failed + 1 - @sent where id = @Id
                """, new { userId, sent, broadcast.Id }, cancellationToken: cancellationToken));
            var left = Pace - (DateTime.UtcNow - started);
            if (left > TimeSpan.Zero) await Task.Delay(left, cancellationToken);
        }
        return true;
    }
}
