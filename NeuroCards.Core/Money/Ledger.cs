using NeuroCards.Core.Data;
using NeuroCards.Core.Payments;
using Npgsql;

namespace NeuroCards.Core.Money;

/// <summary>
/// The money core: every operation that moves credits, each one a single transaction. The
/// balance column is a cache of sum(ledger.amount), written in the same transaction as the ledger
/// row; unique indexes on the ledger (one bonus per user, one charge per order, one refund per job,
/// one credit per payment) make double spending impossible even under concurrency.
/// </summary>
public sealed class Ledger(Db db)
{
    public const int SignUpBonus = 2;

    public async Task<EnsureUserResult> EnsureUserAsync(long telegramId, string? username, string? firstName, string language,
        CancellationToken cancellationToken = default)
    {
        return await db.TransactionAsync(async _ =>
        {
            // xmax = 0 only on the row version this statement inserted: exactly one caller sees created.
            var created = await db.ScalarAsync<bool>("""
                insert into users (id, username, first_name, language) values (@telegramId, @username, @firstName, @language)
                on conflict (id) do update set username = excluded.username, first_name = excluded.first_name, updated_at = now()
                returning (xmax = 0)
                """, new { telegramId, username, firstName, language }, cancellationToken);

            if (created)
            {
                await db.ExecuteAsync("""
                    with bonus as (
                        insert into ledger (user_id, kind, amount, reason) values (@telegramId, 'bonus', @SignUpBonus, 'sign-up bonus')
                        on conflict (user_id) where kind = 'bonus' do nothing
                        returning amount)
                    update users set balance = balance + coalesce((select sum(amount) from bonus), 0) where id = @telegramId
                    """, new { telegramId, SignUpBonus }, cancellationToken);
            }

            var user = await db.SingleAsync<UserAccount>(
                UserSelect + " where id = @telegramId", new { telegramId }, cancellationToken);
            return new EnsureUserResult(user, created);
        }, cancellationToken);
    }

    public async Task<UserAccount?> GetUserAsync(long telegramId, CancellationToken cancellationToken = default)
    {
        return await db.SingleOrDefaultAsync<UserAccount>(
            UserSelect + " where id = @telegramId", new { telegramId }, cancellationToken);
    }

    public async Task<int> GetBalanceAsync(long userId, CancellationToken cancellationToken = default)
    {
        return await db.ScalarAsync<int>(
            "select balance from users where id = @userId", new { userId }, cancellationToken);
    }

    /// <summary>
    /// Takes an order's cost inside the caller's transaction: the balance never goes below zero, and the ledger's unique
    /// charge per order makes a second charge impossible. Null when the balance is short (nothing written).
    /// </summary>
    public Task<int?> ChargeOrderAsync(long userId, Guid orderId, int cost, CancellationToken cancellationToken) =>
        db.TransactionAsync(async _ =>
        {
            var balanceAfter = await db.ScalarAsync<int?>("""
                update users set balance = balance - @cost, updated_at = now()
                where id = @userId and balance >= @cost
                returning balance
                """, new { cost, userId }, cancellationToken);
            if (balanceAfter is null) return null;
            await db.ExecuteAsync("""
                insert into ledger (user_id, kind, amount, order_id, reason) values (@userId, 'charge', @amount, @orderId, 'order')
                """, new { userId, amount = -cost, orderId }, cancellationToken);
            return balanceAfter;
        }, cancellationToken);

    /// <summary>Gives one job's credits back, at most once, never for a job whose video was made.</summary>
    public Task<RefundResult> RefundJobAsync(Guid jobId, string reason, CancellationToken cancellationToken = default) =>
        db.TransactionAsync(async _ =>
        {
            var job = await db.SingleOrDefaultAsync<(long UserId, Guid OrderId, DateTime? SucceededAt)>(
                "select user_id, order_id, succeeded_at from jobs where id = @jobId for update",
                new { jobId }, cancellationToken);
            if (job.UserId == 0) return RefundResult.NotFound;
            if (job.SucceededAt is not null) return RefundResult.NotRefundable;

            var refunded = await db.ScalarAsync<int?>("""
                with refund as (
                    insert into ledger (user_id, kind, amount, order_id, job_id, reason)
                    select @UserId, 'refund', o.price_per_video, o.id, @jobId, @reason from orders o where o.id = @OrderId
                    on conflict (job_id) where kind = 'refund' do nothing
                    returning amount)
                update users set balance = balance + r.amount, updated_at = now()
                from refund r where users.id = @UserId
                returning r.amount
                """, new { job.UserId, job.OrderId, jobId, reason }, cancellationToken);
            return refunded is null ? RefundResult.AlreadyRefunded : RefundResult.Refunded;
        }, cancellationToken);

    /// <summary>
    /// Credits a pending payment exactly once. The payment row (created before the user paid) says
    /// how many credits; the provider's payment id is unique, so a repeated notification credits nothing.
    /// </summary>
    public async Task<PurchaseResult> CreditPurchaseAsync(Guid paymentId, PaymentProvider provider, string providerPaymentId,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await CreditPendingPurchaseAsync(paymentId, provider, providerPaymentId, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The provider's payment id was already used for another of our payments (the transaction rolled back).
            return new PurchaseResult.Rejected("provider payment id already credited");
        }
    }

    private Task<PurchaseResult> CreditPendingPurchaseAsync(Guid paymentId, PaymentProvider provider, string providerPaymentId,
        CancellationToken cancellationToken) =>
        db.TransactionAsync<PurchaseResult>(async _ =>
        {
            var payment = await db.SingleOrDefaultAsync<(long UserId, PaymentProvider Provider, PaymentStatus Status, int Credits, Guid? OrderId, string? ProviderPaymentId)>("select user_id, provider, status, credits, order_id, provider_payment_id from payments where id = @paymentId for update",
                    new { paymentId }, cancellationToken);
            if (payment.UserId == 0) return new PurchaseResult.Rejected("unknown payment");
            if (payment.Provider != provider) return new PurchaseResult.Rejected("provider mismatch");
            Guid? secondChargeOf = null;
            if (payment.Status is PaymentStatus.Succeeded or PaymentStatus.Refunding or PaymentStatus.Refunded && payment.ProviderPaymentId != providerPaymentId
                && provider == PaymentProvider.Stars)
            {
                // Telegram took a second payment for an invoice already paid (an old invoice paid again): the buyer paid twice,
                // so the second charge is a payment of its own and is credited too — once, by its own charge id.
                var secondId = await db.ScalarAsync<Guid?>("""
                    insert into payments (id, user_id, provider, provider_payment_id, status, pack_id, credits, amount, currency, paid_at)
                    select @secondId, user_id, provider, @providerPaymentId, 'pending', pack_id, credits, amount, currency, now()
                    from payments where id = @paymentId
                    on conflict (provider, provider_payment_id) do nothing
                    returning id
                    """, new { paymentId, providerPaymentId, secondId = Guid.CreateVersion7() }, cancellationToken);
                if (secondId is null) return new PurchaseResult.AlreadyCredited(payment.UserId);
                secondChargeOf = paymentId;
                paymentId = secondId.Value;
                payment = payment with { Status = PaymentStatus.Pending, OrderId = null };
            }
            if (payment.Status == PaymentStatus.Succeeded) return new PurchaseResult.AlreadyCredited(payment.UserId);
            if (payment.Status != PaymentStatus.Pending) return new PurchaseResult.Rejected($"payment is {payment.Status.ToDb()}");

            await db.ExecuteAsync("""
                update payments set status = 'succeeded', provider_payment_id = @providerPaymentId, paid_at = now(), updated_at = now()
                where id = @paymentId
                """, new { paymentId, providerPaymentId }, cancellationToken);

            var balanceAfter = await db.ScalarAsync<int>("""
                with credit as (
                    insert into ledger (user_id, kind, amount, payment_id, reason)
                    values (@UserId, 'purchase', @Credits, @paymentId, @provider)
                    returning amount)
                update users set balance = balance + credit.amount, updated_at = now()
                from credit where users.id = @UserId
                returning balance
                """, new { payment.UserId, payment.Credits, paymentId, provider = provider.ToDb() }, cancellationToken);

            return new PurchaseResult.Credited(payment.UserId, payment.Credits, balanceAfter, payment.OrderId, paymentId, secondChargeOf);
        }, cancellationToken);

    /// <summary>
    /// The first half of refunding a purchase: the credits come back off the balance (a 'reversal' ledger row) and the
    /// payment becomes 'refunding', in one transaction, before the provider is asked to return the money. A payment
    /// already 'refunding' (the provider call failed or the process died) answers <see cref="ReversalResult.Reversing"/>
    /// again without taking anything twice, so the call can be repeated until <see cref="CompletePurchaseReversalAsync"/>.
    /// </summary>
    /// <param name="provider">Only a payment of this provider is reversed: the caller can return only its money.</param>
    public async Task<(ReversalResult Result, Payments.Payment? Payment)> BeginPurchaseReversalAsync(Guid paymentId, PaymentProvider provider, long adminId,
        CancellationToken cancellationToken = default)
    {
        return await db.TransactionAsync<(ReversalResult, Payments.Payment?)>(async _ =>
        {
            var payment = await db.SingleOrDefaultAsync<Payments.Payment>(
                "select * from payments where id = @paymentId for update", new { paymentId }, cancellationToken);
            if (payment is null) return (ReversalResult.NotFound, null);
            if (payment.Provider != provider) return (ReversalResult.OtherProvider, payment);
            if (payment.Status == PaymentStatus.Refunded) return (ReversalResult.AlreadyReversed, payment);
            if (payment.Status == PaymentStatus.Refunding) return (ReversalResult.Reversing, payment);
            if (payment.Status != PaymentStatus.Succeeded) return (ReversalResult.NotPaid, payment);
            var balance = await db.ScalarAsync<int?>("""
                update users set balance = balance - @Credits, updated_at = now() where id = @UserId and balance >= @Credits returning balance
                """, new { payment.Credits, payment.UserId }, cancellationToken);
            if (balance is null) return (ReversalResult.CreditsSpent, payment);
            await db.ExecuteAsync("""
                insert into ledger (user_id, kind, amount, payment_id, admin_id, reason) values (@UserId, 'reversal', -@Credits, @Id, @adminId, 'purchase refunded');
                update payments set status = 'refunding', updated_at = now() where id = @Id;
                """, new { payment.UserId, payment.Credits, payment.Id, adminId }, cancellationToken);
            return (ReversalResult.Reversing, payment);
        }, cancellationToken);
    }

    /// <summary>The provider returned the money: the refund is settled.</summary>
    public async Task CompletePurchaseReversalAsync(Guid paymentId, CancellationToken cancellationToken = default)
    {
        await db.ExecuteAsync(
            "update payments set status = 'refunded', updated_at = now() where id = @paymentId and status = 'refunding'",
            new { paymentId }, cancellationToken);
    }

    /// <summary>An admin's manual credit (or debit, with a negative amount that the balance must cover).</summary>
    public async Task<int?> GrantAsync(long userId, int credits, string reason, long adminId, CancellationToken cancellationToken = default)
    {
        if (credits == 0) throw new ArgumentOutOfRangeException(nameof(credits), "a grant of zero credits means nothing");
        return await db.TransactionAsync(async _ =>
        {
            var balance = await db.ScalarAsync<int?>("""
                update users set balance = balance + @credits, updated_at = now()
                where id = @userId and balance + @credits >= 0
                returning balance
                """, new { userId, credits }, cancellationToken);
            if (balance is null) return null;
            await db.ExecuteAsync("""
                insert into ledger (user_id, kind, amount, admin_id, reason) values (@userId, 'grant', @credits, @adminId, @reason)
                """, new { userId, credits, adminId, reason }, cancellationToken);
            return balance;
        }, cancellationToken);
    }

    public async Task<LedgerTotals> TodayTotalsAsync(CancellationToken cancellationToken = default)
    {
        return await db.SingleAsync<LedgerTotals>("""
            select coalesce(sum(amount) filter (where kind = 'purchase'), 0) as sold,
                   coalesce(-sum(amount) filter (where kind = 'charge'), 0) as spent,
                   coalesce(sum(amount) filter (where kind = 'refund'), 0) as refunded
            from ledger where created_at >= current_date
            """, null, cancellationToken);
    }

    private const string UserSelect = """
        select id, username, first_name, language, balance, consent_at, consent_version, created_at from users
        """;
}
