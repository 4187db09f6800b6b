using NeuroCards.Core.Data;

namespace NeuroCards.Core.Shops;

/// <summary>Sellers' connected shops: connected (replacing the same account's older secret), listed, removed.</summary>
public sealed class Shops(Db db, ShopSecrets secrets)
{
    private const string Columns = "id, user_id, marketplace, account, secret, hint, expires_at, created_at";

    public Task<Shop> ConnectAsync(long userId, Marketplace marketplace, string account, string secret, DateTime? expiresAt,
        CancellationToken cancellationToken) =>
        db.TransactionAsync(async _ =>
        {
            await db.ExecuteAsync("""
                update shops set removed_at = now()
                where user_id = @userId and marketplace = @marketplace and account = @account and removed_at is null
                """, new { userId, marketplace = marketplace.ToDb(), account }, cancellationToken);
            var id = Guid.CreateVersion7();
            return await db.SingleAsync<Shop>($"""
                insert into shops (id, user_id, marketplace, account, secret, hint, expires_at)
                values (@id, @userId, @marketplace, @account, @secret, @hint, @expiresAt)
                returning {Columns}
                """, new { id, userId, marketplace = marketplace.ToDb(), account, secret = secrets.Seal(id, secret), hint = Hint(secret), expiresAt },
                cancellationToken);
        }, cancellationToken);

    public Task<List<Shop>> ListAsync(long userId, CancellationToken cancellationToken) =>
        db.ListAsync<Shop>($"select {Columns} from shops where user_id = @userId and removed_at is null order by created_at", new { userId },
            cancellationToken);

    /// <summary>A live shop of this seller, or null (removed, or someone else's).</summary>
    public Task<Shop?> GetAsync(Guid id, long userId, CancellationToken cancellationToken) =>
        db.SingleOrDefaultAsync<Shop>($"select {Columns} from shops where id = @id and user_id = @userId and removed_at is null",
            new { id, userId }, cancellationToken);

    /// <summary>A live shop by id, whoever's it is (a publication names the shop it was asked for).</summary>
    public Task<Shop?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.SingleOrDefaultAsync<Shop>($"select {Columns} from shops where id = @id and removed_at is null", new { id }, cancellationToken);

    /// <summary>
    /// Disconnects the shop: its sealed secret is wiped at once (not only marked), and the worker removes the public copies
    /// of videos published through it.
    /// </summary>
    public async Task<bool> RemoveAsync(Guid id, long userId, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            update shops set removed_at = now(), secret = '\x00'::bytea
            where id = @id and user_id = @userId and removed_at is null
            """, new { id, userId }, cancellationToken) == 1;

    public string SecretOf(Shop shop) => secrets.Open(shop.Id, shop.Secret);

    /// <summary>The last four characters: enough to tell two tokens apart, useless to anyone else.</summary>
    public static string Hint(string secret) => secret.Length <= 8 ? "…" : "…" + secret[^4..];
}
