using NeuroCards.Core.Data;

namespace NeuroCards.Bot.Outbox;

/// <summary>
/// Work that tells Telegram about itself, outside an update's own transaction (a payment credited, a refund settled):
/// its writes and its messages commit together in a transaction of its own, then the messages go.
/// Called from inside an update, its transaction still commits on its own, whatever happens to the update.
/// </summary>
public sealed class OutboxUnitOfWork(Db db, TelegramOutbox outbox, OutboxSender sender)
{
    public async Task<T> RunAsync<T>(Func<List<OutgoingMessage>, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        List<OutgoingMessage> outgoing = [];
        // Inside an update's transaction (a Stars receipt), Telegram is not called until that commits too: the update sends
        // its chat's messages then, and the sweeper any other chat's.
        var nested = Db.InTransaction;
        var (result, claimed) = await db.OwnTransactionAsync(async ct =>
        {
            var done = await work(outgoing, ct);
            return (done, await outbox.AddAsync(outgoing, claimForCaller: !nested, ct));
        }, cancellationToken);
        if (!nested) await sender.TryDeliverAsync(outgoing.Select(m => m.ChatId), claimed, cancellationToken);
        return result;
    }
}
