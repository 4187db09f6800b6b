using NeuroCards.Core.Hosting;

namespace NeuroCards.Bot.Outbox;

/// <summary>
/// Sends what a sender left behind: it died between a commit and Telegram, or Telegram asked it to wait (a 429, an
/// outage). Every replica sweeps; a chat is held by one sender at a time.
/// </summary>
public sealed class OutboxSweeper(TelegramOutbox outbox, OutboxSender sender, ILogger<OutboxSweeper> logger) : PeriodicService(logger)
{
    /// <summary>A message younger than this is still its own sender's (it is sent right after its commit).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(2);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var chats = await outbox.LeftBehindAsync(Grace, 50, cancellationToken);
        if (chats.Count == 0) return;
        logger.LogInformation("Sending the messages left behind for {Count} chat(s)", chats.Count);
        await Parallel.ForEachAsync(chats, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (chatId, ct) => await sender.DeliverAsync(chatId, ct));
    }
}
