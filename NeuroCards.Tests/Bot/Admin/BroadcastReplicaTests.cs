using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Bot.Admin;
using NeuroCards.Core.Broadcasts;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Users;
using NeuroCards.Tests.TelegramEmulator.Client;
using Telegram.Bot;

namespace NeuroCards.Tests.Bot.Admin;

/// <summary>Several bot replicas, one broadcast: each user gets it once, whichever replica sends, and a replica that dies is replaced.</summary>
public sealed class BroadcastReplicaTests : IAsyncLifetime
{
    private readonly BotHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    private BroadcastService Replica(string name) =>
        new(new BroadcastStore(h.Db.Db), new UserStore(h.Db.Db), new ClusterLease(h.Db.Db),
            new TelegramBotClient(new TelegramBotClientOptions(h.Token, h.Emulator.BaseUrl)), NullLogger<BroadcastService>.Instance)
        { Owner = name };

    private async Task<List<EmulatorUser>> UsersAsync(int count)
    {
        var users = new List<EmulatorUser>();
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        for (var i = 0; i < count; i++)
        {
            var user = await h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru");
            await conn.ExecuteAsync("insert into users (id, first_name, language, consent_at) values (@Id, 'Анна', 'ru', now())", new { user.Id });
            users.Add(user);
        }
        return users;
    }

    [Fact]
    public async Task Two_replicas_sending_at_once_reach_each_user_once()
    {
        var users = await UsersAsync(30);
        await new BroadcastStore(h.Db.Db).StartAsync("📣 Новые форматы: 3:4 для карточек!", 1, CancellationToken.None);
        var a = Replica("replica-a");
        var b = Replica("replica-b");

        async Task RunAsync(BroadcastService replica)
        {
            for (var round = 0; round < 200; round++)
            {
                if (!await replica.SendBatchAsync(CancellationToken.None)) await Task.Delay(50);
                if (await new BroadcastStore(h.Db.Db).OldestRunningAsync(CancellationToken.None) is null) return;
            }
        }
        await Task.WhenAll(RunAsync(a), RunAsync(b));

        foreach (var user in users)
        {
            Assert.Single(await user.Transcript(), m => m.Contains("Новые форматы"));
        }
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        Assert.Equal(30, await conn.ExecuteScalarAsync<int>("select sent from broadcasts"));
    }

    [Fact]
    public async Task When_the_sending_replica_dies_another_takes_over_from_its_cursor_after_the_lease()
    {
        var users = await UsersAsync(30);
        await new BroadcastStore(h.Db.Db).StartAsync("📣 Обновление", 1, CancellationToken.None);
        // Replica A sends one batch (25) and dies: its lease is left to run out.
        Assert.True(await Replica("replica-a").SendBatchAsync(CancellationToken.None));
        var b = Replica("replica-b");
        Assert.False(await b.SendBatchAsync(CancellationToken.None)); // A's lease still holds
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        await conn.ExecuteAsync("update cluster_leases set until = now() - interval '1 second' where name = @LeaseName",
            new { BroadcastService.LeaseName });

        while (await b.SendBatchAsync(CancellationToken.None)) { }

        foreach (var user in users) Assert.Single(await user.Transcript(), m => m.Contains("Обновление"));
        Assert.Equal("done", await conn.ExecuteScalarAsync<string>("select status from broadcasts"));
    }
}
