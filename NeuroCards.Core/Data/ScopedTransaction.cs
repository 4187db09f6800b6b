using Npgsql;

namespace NeuroCards.Core.Data;

/// <summary>A transaction of its own, or a savepoint in a scope's: rolled back when disposed without a commit.</summary>
public sealed class ScopedTransaction(NpgsqlTransaction transaction, string? savepoint) : IAsyncDisposable
{
    private bool _done;

    public NpgsqlTransaction Transaction { get; } = transaction;

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        _done = true;
        if (savepoint is null) await Transaction.CommitAsync(cancellationToken);
        else await Transaction.ReleaseAsync(savepoint, cancellationToken);
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        _done = true;
        if (savepoint is null) await Transaction.RollbackAsync(cancellationToken);
        else await Transaction.RollbackAsync(savepoint, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (savepoint is null)
        {
            await Transaction.DisposeAsync();
            return;
        }
        // The scope's transaction may already be broken (a failed statement aborts it): then the scope rolls it all back.
        if (!_done && Transaction.Connection is { State: System.Data.ConnectionState.Open })
        {
            try
            {
                await Transaction.RollbackAsync(savepoint);
            }
            catch (NpgsqlException)
            {
            }
        }
    }
}
