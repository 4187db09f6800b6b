using Npgsql;

namespace NeuroCards.Core.Data;

/// <summary>A connection from <see cref="DbScope.OpenScopedAsync"/>: the scope's (left open), or one of its own that it closes.</summary>
internal sealed class ScopedConnection(NpgsqlConnection connection, bool owned) : IAsyncDisposable
{
    public NpgsqlConnection Connection { get; } = connection;

    public ValueTask DisposeAsync() => owned ? Connection.DisposeAsync() : ValueTask.CompletedTask;
}
