using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NeuroCards.Tests.Fakes;
using NeuroCards.Tests.TelegramEmulator.Client;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NeuroCards.Tests.Bot.MiniApp;

/// <summary>The bot at a known address (its public URL names the Mini App), with PostgreSQL, local storage and the emulator.</summary>
public sealed class MiniAppFixture : IAsyncLifetime
{
    public BotHarness Bot { get; } = new();
    public string BaseUrl { get; private set; } = "";
    public string AppUrl => BaseUrl + "/app";
    public YooKassaFake YooKassa { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Bot.InitializeAsync();
        BaseUrl = $"http://127.0.0.1:{PostgresCluster.FreePort()}";
        Bot.Urls = BaseUrl;
        Bot.Overrides["Bot:PublicUrl"] = BaseUrl;
        Bot.Overrides["Shops:SecretKey"] = Shops.ShopsHarness.ShopKey;
        YooKassa = await YooKassaFake.StartAsync();
        Bot.Overrides["Payments:YooKassa:BaseUrl"] = YooKassa.BaseUrl;
        Bot.Overrides["Payments:YooKassa:ShopId"] = YooKassaFake.ShopId;
        Bot.Overrides["Payments:YooKassa:SecretKey"] = YooKassaFake.SecretKey;
        await Bot.StartBotAsync();
    }

    /// <summary>
    /// Videos the seller has had delivered, oldest first (one order each, a minute apart, named by <paramref name="products"/>):
    /// charged through the ledger, the file in our storage and in Telegram (sent by the bot, so the file_id is Telegram's own).
    /// </summary>
    public async Task<List<(Guid JobId, Guid OrderId, string FileId)>> DeliveredVideosAsync(EmulatorUser user, params string[] products)
    {
        var bytes = await File.ReadAllBytesAsync(await TestMedia.CardResultVideoAsync());
        var bot = new TelegramBotClient(new TelegramBotClientOptions(Bot.Token, Bot.Emulator.BaseUrl));
        await Bot.Db.Ledger.GrantAsync(user.Id, products.Length, "test", 1);
        var made = new List<(Guid, Guid, string)>();
        await using var conn = await Bot.Db.DataSource.OpenConnectionAsync();
        for (var i = 0; i < products.Length; i++)
        {
            var orderId = await TestData.DraftOrderAsync(Bot.Db.DataSource, user.Id);
            await conn.ExecuteAsync("update orders set description = @description, format = 'card' where id = @orderId", new { description = products[i], orderId });
            var jobId = Assert.IsType<NeuroCards.Core.Orders.ConfirmOrderResult.Confirmed>(await Bot.Db.Orders.ConfirmAsync(orderId, 1)).JobIds.Single();
            var key = NeuroCards.Core.Storage.MediaKeys.Output(jobId);
            await Bot.Storage.Store.PutAsync(key, new MemoryStream(bytes), "video/mp4");
            var sent = await bot.SendVideo(user.Id, InputFile.FromStream(new MemoryStream(bytes), "video.mp4"));
            var at = DateTime.UtcNow.AddMinutes(i - products.Length);
            await conn.ExecuteAsync("""
                update jobs set status = 'delivered', stage = 'done', result_key = @key, result_width = 810, result_height = 1080, result_duration = 9,
                                succeeded_at = @at, delivered_at = @at, telegram_file_id = @fileId
                where id = @jobId
                """, new { key, at, fileId = sent.Video!.FileId, jobId });
            await conn.ExecuteAsync("update orders set status = 'completed', finished_at = @at where id = @orderId", new { at, orderId });
            made.Add((jobId, orderId, sent.Video.FileId));
        }
        return made;
    }

    /// <summary>A catalogue batch of a connected WB shop, started (its cards charged and queued; no worker here takes them).</summary>
    public async Task<Guid> RunningBatchAsync(EmulatorUser user, int cards)
    {
        var services = Bot.App!.Services;
        var shop = await services.GetRequiredService<NeuroCards.Core.Shops.Shops>().ConnectAsync(user.Id, NeuroCards.Core.Shops.Marketplace.Wb, "seller-1", "wb-token", null,
            TestContext.Current.CancellationToken);
        var batches = services.GetRequiredService<NeuroCards.Core.Publishing.Batches>();
        var list = Enumerable.Range(1, cards).Select(i => new NeuroCards.Core.Marketplaces.Wildberries.WildberriesSellerCard(
            100_000_000 + i, $"Карточка {i}", "Бренд", "Описание товара", false, 1, [])).ToList();
        var batch = await batches.DraftAsync(user.Id, user.Id, "ru", shop, list, cards, NeuroCards.Core.Orders.VideoTemplate.Ad, "seedance-2", 1,
            TestContext.Current.CancellationToken);
        await Bot.Db.Ledger.GrantAsync(user.Id, cards, "test", 1);
        var bot = new TelegramBotClient(new TelegramBotClientOptions(Bot.Token, Bot.Emulator.BaseUrl));
        var message = await bot.SendMessage(user.Id, "🗂 Каталог");
        Assert.IsType<NeuroCards.Core.Publishing.BatchConfirmation.Started>(await batches.ConfirmAsync(batch.Id, user.Id, message.MessageId,
            TestContext.Current.CancellationToken));
        return batch.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await YooKassa.DisposeAsync();
    }
}
