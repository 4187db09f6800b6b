using Dapper;
using NeuroCards.Core.Data;
using Npgsql;

namespace NeuroCards.Core.Payments;

/// <summary>Packs and payment rows. Crediting itself is Ledger.CreditPurchaseAsync (one transaction, once per payment).</summary>
public sealed class PaymentStore(Db db)
{
    public async Task<IReadOnlyList<CreditPack>> PacksAsync(CancellationToken cancellationToken)
    {
        return await db.ListAsync<CreditPack>(
            "select id, credits, price_rub, price_stars from credit_packs where active order by sort_order, credits", null, cancellationToken);
    }

    /// <summary>An active pack by id (null for one withdrawn or never offered: a stale or forged button).</summary>
    public Task<CreditPack?> PackAsync(int id, CancellationToken cancellationToken) =>
        db.SingleOrDefaultAsync<CreditPack>("select id, credits, price_rub, price_stars from credit_packs where active and id = @id", new { id }, cancellationToken);

    public async Task<Payment> CreateAsync(long userId, PaymentProvider provider, CreditPack pack, Guid? orderId, CancellationToken cancellationToken)
    {
        var payment = new Payment
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Provider = provider,
            PackId = pack.Id,
            Credits = pack.Credits,
            Amount = provider == PaymentProvider.Stars ? pack.PriceStars : pack.PriceRub,
            Currency = provider == PaymentProvider.Stars ? "XTR" : "RUB",
            OrderId = orderId,
        };
        await db.ExecuteAsync("""
            insert into payments (id, user_id, provider, pack_id, credits, amount, currency, order_id)
            values (@Id, @UserId, @provider, @PackId, @Credits, @Amount, @Currency, @OrderId)
            """, new { payment.Id, payment.UserId, provider = provider.ToDb(), payment.PackId, payment.Credits, payment.Amount, payment.Currency, payment.OrderId },
            cancellationToken);
        return payment;
    }

    public async Task<Payment?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        return await db.SingleOrDefaultAsync<Payment>("select * from payments where id = @id", new { id }, cancellationToken);
    }

    public async Task<Payment?> FindByProviderIdAsync(PaymentProvider provider, string providerPaymentId, CancellationToken cancellationToken)
    {
        return await db.SingleOrDefaultAsync<Payment>(
            "select * from payments where provider = @provider and provider_payment_id = @providerPaymentId",
            new { provider = provider.ToDb(), providerPaymentId }, cancellationToken);
    }

    /// <summary>Records the provider's id and pay link of a payment created there (YooKassa).</summary>
    public async Task AttachAsync(Guid id, string providerPaymentId, string? confirmationUrl, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync("""
            update payments set provider_payment_id = @providerPaymentId, confirmation_url = @confirmationUrl, updated_at = now()
            where id = @id and status = 'pending'
            """, new { id, providerPaymentId, confirmationUrl }, cancellationToken);
    }

    public async Task MarkFailedAsync(Guid id, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync("update payments set status = 'failed', updated_at = now() where id = @id and status = 'pending'",
            new { id }, cancellationToken);
    }

    /// <summary>
    /// Pending payments of a provider older than <paramref name="olderThan"/>, least recently checked first: every check
    /// touches the row (<see cref="TouchAsync"/>), so a batch of payments that never settle cannot hide newer ones.
    /// </summary>
    public async Task<IReadOnlyList<Payment>> PendingAsync(PaymentProvider provider, TimeSpan olderThan, CancellationToken cancellationToken)
    {
        return await db.ListAsync<Payment>("""
            select * from payments where provider = @provider and status = 'pending' and provider_payment_id is not null
              and created_at < now() - @olderThan order by updated_at limit 100
            """, new { provider = provider.ToDb(), olderThan }, cancellationToken);
    }

    /// <summary>Marks a pending payment as just checked.</summary>
    public async Task TouchAsync(Guid id, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync("update payments set updated_at = now() where id = @id and status = 'pending'",
            new { id }, cancellationToken);
    }

    /// <summary>Whether a payment of the provider has been pending longer than <paramref name="olderThan"/> (its confirmation may be lost).</summary>
    public async Task<bool> HasPendingAsync(PaymentProvider provider, TimeSpan olderThan, CancellationToken cancellationToken)
    {
        return await db.ScalarAsync<bool>(
            "select exists (select 1 from payments where provider = @provider and status = 'pending' and created_at < now() - @olderThan)",
            new { provider = provider.ToDb(), olderThan }, cancellationToken);
    }

    public async Task<int> CursorAsync(string name, CancellationToken cancellationToken)
    {
        return await db.ScalarAsync<int?>(
            "select position from reconcile_cursors where name = @name", new { name }, cancellationToken) ?? 0;
    }

    /// <summary>Moves the cursor forward (never back: two replicas reading at once both leave it at the furthest point).</summary>
    public async Task AdvanceCursorAsync(string name, int position, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync("""
            insert into reconcile_cursors (name, position) values (@name, @position)
            on conflict (name) do update set position = greatest(reconcile_cursors.position, excluded.position), updated_at = now()
            """, new { name, position }, cancellationToken);
    }
}
