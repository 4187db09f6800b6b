using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.Bot.Shops;

/// <summary>«🗂 Все карточки без видео»: one order per card of a WB shop without a video, each video published when it is made.</summary>
public sealed class BatchTests : IAsyncLifetime
{
    private readonly ShopsHarness h = new();
    private byte[] _photo = [];

    public async ValueTask InitializeAsync()
    {
        await h.InitializeAsync();
        _photo = await TestMedia.PhotoAsync();
    }

    public ValueTask DisposeAsync() => h.DisposeAsync();

    /// <summary>A seller with a connected WB shop of <paramref name="withoutVideo"/> cards without a video and a few with one.</summary>
    private async Task<(EmulatorUser User, long[] Cards)> SellerAsync(long firstArticle, int withoutVideo, int credits)
    {
        var user = await h.Bot.OnboardedUserAsync();
        var seller = user.Id.ToString();
        var cards = Enumerable.Range(0, withoutVideo).Select(i => firstArticle + i).ToArray();
        foreach (var article in cards) h.Wb.AddSellerCard(seller, article, $"Товар {article}", [_photo]);
        for (var i = 0; i < 3; i++) h.Wb.AddSellerCard(seller, firstArticle + 900 + i, "С видео", [_photo], hasVideo: true);
        await h.Bot.Db.Ledger.GrantAsync(user.Id, credits, "test", 1);
        await h.ConnectAsync(user, "wb", h.Wb.IssueToken(seller));
        return (user, cards);
    }

    /// <summary>/shops → 🗂 → the offer (checked) → 🚀; returns the batch's progress message.</summary>
    private static async Task<ChatMessage> StartBatchAsync(EmulatorUser user, int withoutVideo, int found)
    {
        await user.Send("/shops");
        await user.Press(await user.Expect(m => m.FromBot && m.HasButton("Все карточки без видео")), "Все карточки без видео");
        var offer = await user.Expect(m => m.FromBot && m.Contains("без видео:"), TimeSpan.FromSeconds(30));
        Assert.Contains($"Карточек в магазине: {found}, без видео: {withoutVideo}", offer.Text);
        Assert.Contains($"{withoutVideo} × 1 кредит = {withoutVideo} кредит", offer.Text);
        Assert.Contains("«🎥 Реклама товара»", offer.Text);
        // Plain UGC clips: KIE's file goes on the card as it came (an ad's captions would be drawn on each first).
        await user.Press(offer, "UGC");
        offer = await user.Expect(m => m.Id == offer.Id && m.Contains("«🤳 Отзыв (UGC)»"));
        await user.Press(offer, "Запустить");
        await user.Expect(m => m.Id == offer.Id && (m.Contains("Запускаю") || m.Contains("готово")));
        return offer;
    }

    private async Task<int> CountAsync(string sql, object args)
    {
        await using var conn = await h.Bot.Db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>(sql, args);
    }

    [Fact]
    public async Task A_batch_of_40_survives_a_killed_worker_publishes_38_once_each_reports_2_and_lets_another_sellers_batch_through()
    {
        var (anna, annaCards) = await SellerAsync(310_000_000, 40, 40);
        var (boris, borisCards) = await SellerAsync(320_000_000, 10, 10);
        h.Wb.RefuseUploads(annaCards[7], "Видео не соответствует требованиям: длительность меньше 10 секунд");
        h.Wb.RefuseUploads(annaCards[23], "Карточка заблокирована");

        var annaBatch = await StartBatchAsync(anna, 40, 43);
        var first = h.StartWorkerProcess();
        // Anna's batch is under way when Boris starts his: the queue's turns must not make him wait for her 40.
        await WaitAsync(() => CountAsync("select count(*)::int from publications where user_id = @id and state = 'published'", new { id = anna.Id }), n => n >= 3);
        var borisBatch = await StartBatchAsync(boris, 10, 13);
        await WaitAsync(() => CountAsync("select count(*)::int from publications where user_id = @id and state = 'published'", new { id = anna.Id }), n => n >= 12);
        first.Kill();
        await using var second = h.StartWorkerProcess();
        await using var third = h.StartWorkerProcess();

        await WaitAsync(() => CountAsync("select count(*)::int from publications where user_id = @id and state = 'published'", new { id = boris.Id }), n => n == 10);
        var annaMadeWhenBorisWasDone = await CountAsync("select count(*)::int from jobs where user_id = @id and status = 'delivered'", new { id = anna.Id });
        Assert.True(annaMadeWhenBorisWasDone < 40, $"Boris's 10 were done while Anna's batch still ran ({annaMadeWhenBorisWasDone} of 40 made)");

        var done = await anna.Expect(m => m.Id == annaBatch.Id && m.Contains("🏁"), TimeSpan.FromSeconds(180));
        Assert.Contains("готово 40 из 40, на карточках 38, ошибок 2", done.Text);
        await boris.Expect(m => m.Id == borisBatch.Id && m.Contains("готово 10 из 10, на карточках 10, ошибок 0") && m.Contains("🏁"));

        foreach (var card in annaCards.Where((_, i) => i is not (7 or 23)).Concat(borisCards))
        {
            Assert.NotNull(h.Wb.VideoOn(card));
            Assert.Equal(1, await CountAsync("select count(*)::int from publications where card = @card and state = 'published'", new { card = card.ToString() }));
        }
        Assert.Null(h.Wb.VideoOn(annaCards[7]));
        // The one kill may repeat one upload (WB replaces a card's video): never more.
        Assert.InRange(annaCards.Sum(h.Wb.UploadsTo), 38, 39);
        // One charge per card, once; a card the marketplace refused had its video made: no refund.
        Assert.Equal(40, await CountAsync("select count(*)::int from ledger where user_id = @id and kind = 'charge'", new { id = anna.Id }));
        Assert.Equal(0, await CountAsync("select count(*)::int from ledger where user_id = @id and kind = 'refund'", new { id = anna.Id }));
        Assert.Equal(2, await TestData.BalanceAsync(h.Bot.Db.DataSource, anna.Id));

        await anna.Press(done, "Подробнее");
        var details = await anna.Expect(m => m.FromBot && m.Contains("Что не получилось"));
        Assert.Contains($"{annaCards[7]} — Видео не соответствует требованиям", details.Text);
        Assert.Contains($"{annaCards[23]} — Карточка заблокирована", details.Text);
        first.Kill();
    }

    [Fact]
    public async Task A_paused_batch_starts_nothing_and_cancelling_refunds_every_card_not_started_at_once()
    {
        var (user, cards) = await SellerAsync(330_000_000, 12, 12);
        var batch = await StartBatchAsync(user, 12, 15);
        Assert.Equal(2, await TestData.BalanceAsync(h.Bot.Db.DataSource, user.Id));
        var pause = await user.Press(await user.Expect(m => m.Id == batch.Id && m.HasButton("Пауза")), "Пауза");
        for (var i = 0; i < 50 && await user.CallbackNotice(pause) is null; i++) await Task.Delay(100);
        Assert.Contains("На паузе", await user.CallbackNotice(pause));

        await h.StartWorkerAsync();
        await user.Expect(m => m.Id == batch.Id && m.Contains("На паузе") && m.HasButton("Продолжить"), TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, await CountAsync("select count(*)::int from jobs where user_id = @id and stage <> 'queued'", new { id = user.Id }));

        await user.Press(await user.Expect(m => m.Id == batch.Id && m.HasButton("Продолжить")), "Продолжить");
        await WaitAsync(() => CountAsync("select count(*)::int from publications where user_id = @id and state = 'published'", new { id = user.Id }), n => n >= 1);
        await user.Press(await user.Expect(m => m.Id == batch.Id && m.HasButton("Отменить")), "Отменить");
        var refund = await user.Expect(m => m.FromBot && m.Contains("Отменено. Вернула"));
        await user.Expect(m => m.Id == batch.Id && m.Contains("🏁"), TimeSpan.FromSeconds(60));

        var refunded = await CountAsync("select count(*)::int from ledger where user_id = @id and kind = 'refund'", new { id = user.Id });
        var published = await CountAsync("select count(*)::int from publications where user_id = @id and state = 'published'", new { id = user.Id });
        Assert.True(refunded > 0, "cards not started were refunded");
        Assert.Equal(12, refunded + published); // every card: refunded at once, or made and put on its card
        Assert.Equal(2 + refunded, await TestData.BalanceAsync(h.Bot.Db.DataSource, user.Id));
        Assert.Contains($"баланс {2 + refunded}", refund.Text);
        Assert.Equal(published, cards.Count(c => h.Wb.VideoOn(c) is not null));
    }

    private static async Task WaitAsync(Func<Task<int>> read, Func<int, bool> done, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        int value;
        while (!done(value = await read()))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"still {value}");
            await Task.Delay(200);
        }
    }
}
