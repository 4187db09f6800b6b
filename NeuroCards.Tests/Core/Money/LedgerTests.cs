using NeuroCards.Core.Data;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Payments;

namespace NeuroCards.Tests.Core.Money;

public abstract class LedgerTests(DatabaseFixture db)
{
    public sealed class OnPostgres(DatabaseFixture db) : LedgerTests(db), IClassFixture<DatabaseFixture>;

    /// <summary>The same, through PgBouncer in transaction mode (Supabase's pooler).</summary>
    public sealed class ThroughPgBouncer(PgBouncerDatabaseFixture db) : LedgerTests(db), IClassFixture<PgBouncerDatabaseFixture>;

    [Fact]
    public async Task A_new_user_gets_the_sign_up_bonus_once_even_when_start_races()
    {
        var userId = TestData.NewUserId();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => db.Ledger.EnsureUserAsync(userId, "anna", "Anna", "ru"))));

        Assert.Single(results, r => r.Created);
        Assert.Equal(Ledger.SignUpBonus, await TestData.BalanceAsync(db.DataSource, userId));
        Assert.Equal(Ledger.SignUpBonus, await TestData.LedgerSumAsync(db.DataSource, userId));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>(
            "select count(*)::int from ledger where user_id = @userId and kind = 'bonus'", new { userId }));
    }

    [Fact]
    public async Task Two_hundred_concurrent_orders_spend_exactly_the_ten_credits_the_user_has()
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Ivan", "ru");
        Assert.NotNull(await db.Ledger.GrantAsync(userId, 10 - Ledger.SignUpBonus, "test", adminId: 1));
        var orders = new List<Guid>();
        for (var i = 0; i < 200; i++) orders.Add(await TestData.DraftOrderAsync(db.DataSource, userId));

        var results = await Task.WhenAll(orders.Select(id => Task.Run(() => db.Orders.ConfirmAsync(id, pricePerVideo: 1))));

        Assert.Equal(10, results.Count(r => r is ConfirmOrderResult.Confirmed));
        Assert.Equal(190, results.Count(r => r is ConfirmOrderResult.InsufficientBalance { Missing: 1 }));
        Assert.Equal(0, await TestData.BalanceAsync(db.DataSource, userId));
        Assert.Equal(0, await TestData.LedgerSumAsync(db.DataSource, userId));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(10, await conn.ExecuteScalarAsync<int>("select count(*)::int from jobs where user_id = @userId", new { userId }));
        Assert.Equal(190, await conn.ExecuteScalarAsync<int>(
            "select count(*)::int from orders where user_id = @userId and status = 'draft'", new { userId }));
    }

    [Fact]
    public async Task Confirming_one_order_twenty_times_at_once_charges_once_and_creates_its_jobs_once()
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Olga", "ru");
        await db.Ledger.GrantAsync(userId, 20, "test", adminId: 1);
        var orderId = await TestData.DraftOrderAsync(db.DataSource, userId, count: 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => db.Orders.ConfirmAsync(orderId, pricePerVideo: 2))));

        var confirmed = results.Cast<ConfirmOrderResult.Confirmed>().ToList();
        Assert.Single(confirmed, c => !c.AlreadyConfirmed);
        Assert.All(confirmed, c => Assert.Equal(confirmed[0].JobIds.Order(), c.JobIds.Order()));
        Assert.Equal(22 - 6, await TestData.BalanceAsync(db.DataSource, userId));
        Assert.Equal(22 - 6, await TestData.LedgerSumAsync(db.DataSource, userId));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var jobs = (await conn.QueryAsync<(string PhotoKey, string Description, string Template, string Wishes, string Model, int Index)>(
            "select photo_key, description, template, wishes, model, index from jobs where order_id = @orderId order by index",
            new { orderId })).ToList();
        Assert.Equal([0, 1, 2], jobs.Select(j => j.Index));
        // Every input is on the job itself, written in the same transaction as the charge.
        Assert.All(jobs, j =>
        {
            Assert.StartsWith("inputs/", j.PhotoKey);
            Assert.Contains("кружка", j.Description);
            Assert.Equal("ugc", j.Template);
            Assert.Equal("уютная кухня", j.Wishes);
            Assert.Equal("seedance-2", j.Model);
        });
    }

    [Fact]
    public async Task Short_balance_changes_nothing_and_says_how_much_is_missing()
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Petr", "ru");
        var orderId = await TestData.DraftOrderAsync(db.DataSource, userId, count: 5);

        var result = await db.Orders.ConfirmAsync(orderId, pricePerVideo: 1);

        var shortBy = Assert.IsType<ConfirmOrderResult.InsufficientBalance>(result);
        Assert.Equal(5, shortBy.Cost);
        Assert.Equal(3, shortBy.Missing);
        Assert.Equal(Ledger.SignUpBonus, await TestData.BalanceAsync(db.DataSource, userId));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal("draft", await conn.ExecuteScalarAsync<string>("select status from orders where id = @orderId", new { orderId }));
        Assert.Equal(0, await conn.ExecuteScalarAsync<int>("select count(*)::int from jobs where order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task An_order_without_its_photo_cannot_be_charged()
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Vera", "ru");
        var orderId = await TestData.DraftOrderAsync(db.DataSource, userId);
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("update orders set photo_key = null where id = @orderId", new { orderId });
        }

        var result = await db.Orders.ConfirmAsync(orderId, pricePerVideo: 1);

        Assert.Equal(new ConfirmOrderResult.Incomplete("photo"), result);
        Assert.Equal(Ledger.SignUpBonus, await TestData.BalanceAsync(db.DataSource, userId));
    }

    [Fact]
    public async Task A_failed_job_refunded_twenty_times_at_once_gets_one_refund()
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Nina", "ru");
        var orderId = await TestData.DraftOrderAsync(db.DataSource, userId, count: 1);
        var confirmed = Assert.IsType<ConfirmOrderResult.Confirmed>(await db.Orders.ConfirmAsync(orderId, pricePerVideo: 2));
        var jobId = confirmed.JobIds[0];
        Assert.Equal(0, await TestData.BalanceAsync(db.DataSource, userId));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => db.Ledger.RefundJobAsync(jobId, "provider failed"))));

        Assert.Single(results, r => r == RefundResult.Refunded);
        Assert.Equal(19, results.Count(r => r == RefundResult.AlreadyRefunded));
        Assert.Equal(2, await TestData.BalanceAsync(db.DataSource, userId));
        Assert.Equal(2, await TestData.LedgerSumAsync(db.DataSource, userId));
    }

    [Fact]
    public async Task A_job_whose_video_was_made_is_never_refunded()
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Egor", "ru");
        var orderId = await TestData.DraftOrderAsync(db.DataSource, userId);
        var jobId = Assert.IsType<ConfirmOrderResult.Confirmed>(await db.Orders.ConfirmAsync(orderId, 1)).JobIds[0];
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("update jobs set succeeded_at = now(), result_key = 'outputs/x.mp4' where id = @jobId", new { jobId });
        }

        Assert.Equal(RefundResult.NotRefundable, await db.Ledger.RefundJobAsync(jobId, "delivery failed"));
        Assert.Equal(1, await TestData.BalanceAsync(db.DataSource, userId));
    }

    [Fact]
    public async Task A_purchase_notification_processed_twenty_times_at_once_credits_once()
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Lena", "ru");
        var paymentId = Guid.CreateVersion7();
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                insert into payments (id, user_id, provider, credits, amount, currency) values (@paymentId, @userId, 'yookassa', 10, 690, 'RUB')
                """, new { paymentId, userId });
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => db.Ledger.CreditPurchaseAsync(paymentId, PaymentProvider.Yookassa, "2f0e1c7a-000f-5000-9000-1b8f5b3b2a11"))));

        Assert.Single(results, r => r is PurchaseResult.Credited);
        Assert.Equal(19, results.Count(r => r is PurchaseResult.AlreadyCredited));
        Assert.Equal(12, await TestData.BalanceAsync(db.DataSource, userId));
        Assert.Equal(12, await TestData.LedgerSumAsync(db.DataSource, userId));
    }

    [Fact]
    public async Task A_payment_that_is_unknown_or_from_another_provider_credits_nothing()
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Kira", "ru");
        var paymentId = Guid.CreateVersion7();
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                insert into payments (id, user_id, provider, credits, amount, currency) values (@paymentId, @userId, 'stars', 5, 250, 'XTR')
                """, new { paymentId, userId });
        }

        Assert.IsType<PurchaseResult.Rejected>(await db.Ledger.CreditPurchaseAsync(Guid.NewGuid(), PaymentProvider.Stars, "charge-1"));
        Assert.IsType<PurchaseResult.Rejected>(await db.Ledger.CreditPurchaseAsync(paymentId, PaymentProvider.Test, "charge-1"));
        Assert.Equal(Ledger.SignUpBonus, await TestData.BalanceAsync(db.DataSource, userId));
    }

    [Fact]
    public async Task The_ledger_cannot_be_rewritten()
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Max", "ru");
        await using var conn = await db.DataSource.OpenConnectionAsync();

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            conn.ExecuteAsync("update ledger set amount = 1000 where user_id = @userId", new { userId }));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            conn.ExecuteAsync("delete from ledger where user_id = @userId", new { userId }));
        Assert.Equal(Ledger.SignUpBonus, await TestData.LedgerSumAsync(db.DataSource, userId));
    }

    [Fact]
    public async Task A_debit_grant_cannot_take_the_balance_below_zero()
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Oleg", "ru");

        Assert.Null(await db.Ledger.GrantAsync(userId, -5, "correction", adminId: 1));
        Assert.Equal(0, await db.Ledger.GrantAsync(userId, -2, "correction", adminId: 1));
        Assert.Equal(0, await TestData.LedgerSumAsync(db.DataSource, userId));
    }

    [Fact]
    public async Task Inside_an_updates_transaction_a_charge_stands_or_falls_with_it_and_a_short_balance_leaves_it_usable()
    {
        var userId = TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(userId, null, "Vera", "ru");
        var big = await TestData.DraftOrderAsync(db.DataSource, userId, count: 3);
        var small = await TestData.DraftOrderAsync(db.DataSource, userId, count: 1);

        // An update that charges, then fails before its commit: nothing is charged, no job is queued.
        await Assert.ThrowsAsync<TimeoutException>(() => db.Db.TransactionAsync(async ct =>
        {
            Assert.IsType<ConfirmOrderResult.Confirmed>(await db.Orders.ConfirmAsync(small, pricePerVideo: 1, cancellationToken: ct));
            Assert.Equal(1, await db.Ledger.GetBalanceAsync(userId, ct)); // the update sees its own charge
            throw new TimeoutException("Telegram did not answer");
        }, default));
        Assert.Equal(2, await TestData.BalanceAsync(db.DataSource, userId));
        Assert.Equal(2, await TestData.LedgerSumAsync(db.DataSource, userId));

        // An update where one order is short of credits and the next fits: the short one is rolled back to its savepoint,
        // the transaction goes on, and both its changes commit together.
        await db.Db.TransactionAsync(async ct =>
        {
            Assert.IsType<ConfirmOrderResult.InsufficientBalance>(await db.Orders.ConfirmAsync(big, pricePerVideo: 1, cancellationToken: ct));
            Assert.IsType<ConfirmOrderResult.Confirmed>(await db.Orders.ConfirmAsync(small, pricePerVideo: 1, cancellationToken: ct));
        }, default);
        Assert.Equal(1, await TestData.BalanceAsync(db.DataSource, userId));
        Assert.Equal(1, await TestData.LedgerSumAsync(db.DataSource, userId));
        await using var check = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await check.ExecuteScalarAsync<int>("select count(*)::int from jobs where user_id = @userId", new { userId }));
    }
}
