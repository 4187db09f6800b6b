using Dapper;
using NeuroCards.Core.Data;
using Npgsql;

namespace NeuroCards.Core.Users;

/// <summary>A user's settings and reachability (the balance and sign-up live with the money, in the ledger).</summary>
public sealed class UserStore(Db db)
{
    public Task AcceptConsentAsync(long userId, string version, CancellationToken cancellationToken) =>
        db.ExecuteAsync(
            "update users set consent_at = now(), consent_version = @version, updated_at = now() where id = @userId",
            new { version, userId }, cancellationToken);

    public Task SetLanguageAsync(long userId, string language, CancellationToken cancellationToken) =>
        db.ExecuteAsync("update users set language = @language, updated_at = now() where id = @userId",
            new { language, userId }, cancellationToken);

    /// <summary>The user blocked the bot: nothing more is sent to them unasked.</summary>
    public async Task MarkBlockedAsync(long userId, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync("update users set blocked_at = now() where id = @userId", new { userId }, cancellationToken);
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        return await db.ScalarAsync<int>("select count(*)::int from users", null, cancellationToken);
    }

    /// <summary>Users a broadcast reaches: agreed to the terms and did not block the bot.</summary>
    public async Task<int> CountReachableAsync(CancellationToken cancellationToken)
    {
        return await db.ScalarAsync<int>(
            "select count(*)::int from users where blocked_at is null and consent_at is not null", null, cancellationToken);
    }

    /// <summary>The next reachable users after <paramref name="afterUserId"/>, in id order (a broadcast's cursor).</summary>
    public async Task<IReadOnlyList<long>> ReachableAfterAsync(long afterUserId, int limit, CancellationToken cancellationToken)
    {
        return await db.ListAsync<long>(
            "select id from users where id > @afterUserId and blocked_at is null and consent_at is not null order by id limit @limit",
            new { afterUserId, limit }, cancellationToken);
    }
}
