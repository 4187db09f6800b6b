using System.Text.Json.Nodes;
using NeuroCards.Core.Money;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.Bot.Outbox;

/// <summary>What the bot tells Telegram goes out after the work it reports is committed, and is not lost when Telegram fails.</summary>
public sealed class OutboxTests : RunningBotTests
{
    private async Task Exec(string sql)
    {
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        await conn.ExecuteAsync(sql);
    }

    /// <summary>A trigger that runs when the chat's update commits (deferred), doing <paramref name="body"/>.</summary>
    private Task AtCommitOf(long chatId, string body) => Exec($"""
        create function at_commit_{chatId}() returns trigger language plpgsql as $$ begin {body}; return null; end $$;
        create constraint trigger at_commit_{chatId} after update on conversations deferrable initially deferred
            for each row when (new.chat_id = {chatId}) execute function at_commit_{chatId}();
        """);

    private async Task<(EmulatorUser Seller, EmulatorUser Admin)> SellerAndAdminAsync() =>
        (await h.OnboardedUserAsync(), await h.OnboardedUserAsync(id: BotHarness.AdminId));

    [Fact]
    public async Task An_admin_never_reads_done_for_a_grant_that_rolled_back()
    {
        var (seller, admin) = await SellerAndAdminAsync();
        await AtCommitOf(admin.Id, "raise exception 'the commit fails'");

        await admin.Send($"/grant {seller.Id} 5 bonus");

        await admin.Expect("что-то пошло не так");
        Assert.DoesNotContain(await admin.NewBotMessagesAsync(), m => m.Contains("Готово"));
        Assert.Equal(Ledger.SignUpBonus, await TestData.BalanceAsync(h.Db.DataSource, seller.Id));
        Assert.DoesNotContain(await seller.NewBotMessagesAsync(), m => m.Contains("Зачислено"));
    }

    [Fact]
    public async Task The_credits_are_there_when_the_admin_reads_done()
    {
        var (seller, admin) = await SellerAndAdminAsync();
        // A slow commit: anything sent before it would arrive while the grant is not yet visible.
        await AtCommitOf(admin.Id, "perform pg_sleep(1.5)");

        await admin.Send($"/grant {seller.Id} 5 bonus");
        await admin.Expect("Готово");

        Assert.Equal(Ledger.SignUpBonus + 5, await TestData.BalanceAsync(h.Db.DataSource, seller.Id));
        await seller.Send("/account");
        await seller.Expect("7 кредитов");
    }

    [Fact]
    public async Task A_grant_to_a_user_who_blocked_the_bot_stands()
    {
        var (seller, admin) = await SellerAndAdminAsync();
        await seller.Block();

        await admin.Send($"/grant {seller.Id} 5 bonus");

        await admin.Expect("Готово");
        Assert.Equal(Ledger.SignUpBonus + 5, await TestData.BalanceAsync(h.Db.DataSource, seller.Id));
        // The seller's notice goes from the seller's own chat queue, which may come after the admin's answer: Telegram's
        // refusal is recorded then, and the notice leaves the outbox instead of being tried forever.
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await conn.ExecuteScalarAsync<bool>(
                   "select blocked_at is not null and not exists (select 1 from telegram_outbox) from users where id = @Id", new { seller.Id }))
        {
            Assert.True(DateTime.UtcNow < deadline, "the block is recorded and the outbox emptied");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_message_telegram_failed_to_take_comes_later()
    {
        var seller = await h.OnboardedUserAsync();
        await h.Telegram.InjectFaultAsync("sendMessage", "500", count: 2);

        await seller.Send("/help");

        // Not at once: Telegram failed twice, and the chat waits before it is tried again. Then it comes, once.
        await seller.Expect("/buy", TimeSpan.FromSeconds(40));
        await Task.Delay(500);
        Assert.Single(await seller.NewBotMessagesAsync());
    }

    [Fact]
    public async Task Messages_a_dead_sender_left_behind_are_sent_in_order_and_the_screen_recorded()
    {
        var seller = await h.OnboardedUserAsync();
        // As a replica leaves them when it dies between its commit and Telegram: committed, never sent, unclaimed.
        var first = new JsonObject { ["kind"] = "Text", ["chat_id"] = seller.Id, ["text"] = "first" };
        var screen = new JsonObject
        {
            ["kind"] = "Text",
            ["chat_id"] = seller.Id,
            ["text"] = "second",
            ["screen"] = true,
            ["keyboard"] = JsonNode.Parse("""{"inline_keyboard":[[{"text":"Menu","callback_data":"menu"}]]}"""),
        };
        await using (var insert = await h.Db.DataSource.OpenConnectionAsync())
        {
            await insert.ExecuteAsync("""
                insert into telegram_outbox (chat_id, message, created_at)
                select @Id, m::jsonb, now() - interval '1 minute' from unnest(@messages) as m
                """, new { seller.Id, messages = new[] { first.ToJsonString(), screen.ToJsonString() } });
        }

        var second = await seller.Expect("second");

        var texts = (await seller.Transcript()).Where(m => m.FromBot).Select(m => m.Text).ToList();
        Assert.True(texts.IndexOf("first") < texts.IndexOf("second"));
        // Recorded by the sender's closing write, just after Telegram took the message.
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        var recorded = await Eventually.ValueAsync(
            () => conn.ExecuteScalarAsync<int>("select menu_message_id from conversations where chat_id = @Id", new { seller.Id }), id => id == second.Id, seconds: 10);
        Assert.Equal(second.Id, recorded);
        // The screen recorded is the one the next press works on.
        await seller.Press(second, "Menu");
        await seller.Expect(m => m.Buttons.Any(b => b.CallbackData == "create"));
    }
}
