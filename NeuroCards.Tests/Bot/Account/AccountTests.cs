using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;

namespace NeuroCards.Tests.Bot.Account;

public sealed class AccountTests : RunningBotTests
{
    [Fact]
    public async Task The_account_shows_balance_and_orders_and_re_sends_a_finished_video_from_storage()
    {
        var user = await h.OnboardedUserAsync();
        var orderId = await TestData.DraftOrderAsync(h.Db.DataSource, user.Id, count: 1);
        var jobId = Assert.IsType<ConfirmOrderResult.Confirmed>(await h.Db.Orders.ConfirmAsync(orderId, 1)).JobIds[0];
        var video = await File.ReadAllBytesAsync(await TestMedia.ResultVideoAsync());
        var key = NeuroCards.Core.Storage.MediaKeys.Output(jobId);
        await h.Storage.Store.PutAsync(key, new MemoryStream(video), "video/mp4");
        await using (var conn = await h.Db.DataSource.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                update jobs set result_key = @key, succeeded_at = now(), status = 'undeliverable', stage = 'done' where id = @jobId;
                update orders set status = 'completed' where id = @orderId;
                """, new { key, jobId, orderId });
        }

        // An empty draft the user walked away from is not history.
        await user.Press(await user.Expect(m => m.HasButton("Создать видео")), "Создать видео");
        await user.Send("/cancel");
        await user.Expect("Окей, отменила");

        await user.Send("/account");
        var account = await user.Expect("Мой кабинет");
        Assert.Contains("Баланс: 1 кредит", account.Text);
        Assert.Matches(@"№1 \d\d\.\d\d \d\d:\d\d — «Керамическая кружка 350 мл[^»]*», 🤳 Отзыв \(UGC\), 1 видео: готов", account.Text);
        Assert.DoesNotContain("№2", account.Text);
        Assert.DoesNotContain("отменён", account.Text);
        await user.Press(account, "№1, видео 1 из 1");
        var resent = await user.Expect(m => m.Video is not null);

        Assert.Equal(video, await h.Telegram.DownloadAsync(resent.Video!["file_id"]!.GetValue<string>()));
        // It comes back as it first came: caption and buttons.
        Assert.Contains("Твоё видео", resent.Text);
        Assert.True(resent.HasButton("Ещё с этим товаром") && resent.HasButton("Меню"));
    }

    [Fact]
    public async Task Language_switches_both_ways_and_is_remembered()
    {
        var user = await h.OnboardedUserAsync();

        await user.Send("/language");
        await user.Expect("I speak English now");
        await user.Send("/menu");
        await user.Expect("Main menu");
        await user.Send("/language");
        await user.Expect("говорю по-русски");

        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        Assert.Equal("ru", await conn.ExecuteScalarAsync<string>("select language from users where id = @Id", new { user.Id }));
    }

    [Fact]
    public async Task An_admin_who_sends_a_video_gets_its_file_id_for_the_demo_album_and_a_user_does_not()
    {
        var admin = await h.OnboardedUserAsync(id: BotHarness.AdminId);
        var user = await h.OnboardedUserAsync();

        var sent = await admin.SendVideo(new byte[2048]);
        var reply = await admin.Expect("file_id");
        await user.SendVideo(new byte[2048]);
        await user.Expect(m => m.FromBot);

        Assert.Contains(sent["video"]!["file_id"]!.GetValue<string>(), reply.Text);
        Assert.DoesNotContain(await user.Transcript(), m => m.Contains("file_id"));
    }
}
