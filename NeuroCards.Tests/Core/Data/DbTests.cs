using System.Data;
using NeuroCards.Core.Data;

namespace NeuroCards.Tests.Core.Data;

/// <summary>The one way statements run: in the caller's unit of work when there is one, on their own otherwise.</summary>
public sealed class DbTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_statement_inside_a_unit_of_work_is_undone_when_the_unit_fails()
    {
        var userId = TestData.NewUserId();

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.Db.TransactionAsync(async ct =>
        {
            await db.Db.ExecuteAsync("insert into users (id, language) values (@userId, 'ru')", new { userId }, ct);
            Assert.Equal(1, await db.Db.ScalarAsync<int>("select count(*)::int from users where id = @userId", new { userId }, ct));
            throw new InvalidOperationException("the update failed after writing");
        }, default));

        Assert.Equal(0, await db.Db.ScalarAsync<int>("select count(*)::int from users where id = @userId", new { userId }, default));
    }

    [Fact]
    public async Task A_nested_transaction_that_fails_is_undone_alone_and_the_unit_goes_on()
    {
        var kept = TestData.NewUserId();
        var undone = TestData.NewUserId();

        await db.Db.TransactionAsync(async ct =>
        {
            await db.Db.ExecuteAsync("insert into users (id, language) values (@kept, 'ru')", new { kept }, ct);
            await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Db.TransactionAsync(async inner =>
            {
                await db.Db.ExecuteAsync("insert into users (id, language) values (@undone, 'ru')", new { undone }, inner);
                await db.Db.ExecuteAsync("insert into users (id, language) values (@kept, 'ru')", new { kept }, inner); // a duplicate
            }, ct));
        }, default);

        var ids = await db.Db.ListAsync<long>("select id from users where id in (@kept, @undone)", new { kept, undone }, default);
        Assert.Equal([kept], ids);
    }

    [Fact]
    public async Task A_unit_of_work_refuses_a_nested_transaction_of_another_isolation_level()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Db.TransactionAsync(
            ct => db.Db.TransactionAsync(_ => Task.FromResult(1), ct, IsolationLevel.Serializable), default));

        Assert.Contains("Serializable", error.Message);
    }

    [Fact]
    public async Task Work_outside_the_unit_of_work_stands_when_the_unit_fails()
    {
        var userId = TestData.NewUserId();

        await Assert.ThrowsAsync<TimeoutException>(() => db.Db.TransactionAsync(async ct =>
        {
            await Db.OutsideUnitOfWorkAsync(() => db.Db.ExecuteAsync("insert into users (id, language) values (@userId, 'ru')", new { userId }, ct));
            throw new TimeoutException("the provider did not answer");
        }, default));

        Assert.Equal(1, await db.Db.ScalarAsync<int>("select count(*)::int from users where id = @userId", new { userId }, default));
    }
}
