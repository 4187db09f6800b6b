using System.Net;
using System.Security.Cryptography;
using NeuroCards.Tests.TelegramEmulator.Client;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.Payments;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Tests.TelegramEmulator;

public sealed class BotApiTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private (TelegramBotClient Bot, EmulatorClient Control) NewBot(int retries = 0)
    {
        var token = EmulatorHost.NewToken();
        var bot = new TelegramBotClient(new TelegramBotClientOptions(token, emulator.Host.BaseUrl) { RetryCount = retries, RetryThreshold = 5 });
        return (bot, emulator.Host.Client(token));
    }

    private static async Task<Update[]> NextUpdates(TelegramBotClient bot, int offset = 0)
    {
        for (var i = 0; i < 10; i++)
        {
            var updates = await bot.GetUpdates(offset, timeout: 2);
            if (updates.Length > 0) return updates;
        }
        throw new TimeoutException("no updates");
    }

    [Fact]
    public async Task A_command_reaches_the_bot_by_long_polling_and_the_reply_shows_in_the_chat()
    {
        var (bot, control) = NewBot();
        var me = await bot.GetMe();
        var anna = await control.UserAsync(5001, "Анна", "ru");

        var poll = bot.GetUpdates(timeout: 10);
        await anna.Send("/start");
        var updates = await poll;

        var message = Assert.Single(updates).Message!;
        Assert.Equal("/start", message.Text);
        Assert.Equal(MessageEntityType.BotCommand, message.Entities![0].Type);
        Assert.Equal("ru", message.From!.LanguageCode);
        Assert.True(me.IsBot);

        await bot.SendMessage(message.Chat.Id, "Привет, <b>Анна</b>! <a href=\"https://example.com/terms\">Условия</a>", ParseMode.Html,
            linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true },
            replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("✅ Принимаю", "consent")));
        var reply = await anna.Expect("Привет");
        Assert.Equal("Привет, Анна! Условия", reply.Text);
        Assert.True(reply.HasButton("Принимаю"));
        Assert.True(reply.DisablesLinkPreview);
    }

    [Fact]
    public async Task Pressing_a_button_sends_a_callback_query_and_edits_happen_in_place()
    {
        var (bot, control) = NewBot();
        var user = await control.UserAsync(5002);
        var sent = await bot.SendMessage(5002, "Меню", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("🎬 Создать", "create")));
        var menu = await user.Expect("Меню");

        var queryId = await user.Press(menu, "Создать");
        var update = Assert.Single(await NextUpdates(bot));
        Assert.Equal("create", update.CallbackQuery!.Data);
        Assert.Equal(sent.MessageId, update.CallbackQuery.Message!.MessageId);
        await bot.AnswerCallbackQuery(update.CallbackQuery.Id);
        await bot.EditMessageText(5002, sent.MessageId, "Пришли фото товара");

        Assert.Equal(queryId, update.CallbackQuery.Id);
        Assert.True(await user.CallbackAnswered(queryId));
        var transcript = await user.Transcript();
        var edited = Assert.Single(transcript);
        Assert.Equal("Пришли фото товара", edited.Text);
        Assert.True(edited.Edited);
        Assert.Empty(edited.Buttons);
    }

    [Theory]
    [InlineData("<b>unclosed", "can't parse entities")]
    [InlineData("<blink>no</blink>", "can't parse entities")]
    [InlineData("1 < 2", "can't parse entities")]
    [InlineData("&nbsp;", "can't parse entities")]
    [InlineData("<b>wrong</i>", "can't parse entities")]
    public async Task Html_telegram_would_refuse_is_refused(string html, string error)
    {
        var (bot, control) = NewBot();
        await control.UserAsync(5003);

        var e = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(5003, html, ParseMode.Html));

        Assert.Equal(400, e.ErrorCode);
        Assert.Contains(error, e.Message);
    }

    [Fact]
    public async Task Telegram_limits_are_enforced()
    {
        var (bot, control) = NewBot();
        await control.UserAsync(5004);
        var ok = await bot.SendMessage(5004, "ok");

        Assert.Contains("message is too long", (await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(5004, new string('я', 4097)))).Message);
        await bot.SendMessage(5004, new string('я', 4096));
        Assert.Contains("BUTTON_DATA_INVALID", (await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(5004, "x",
            replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("b", new string('d', 65)))))).Message);
        Assert.Contains("message is not modified", (await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageText(5004, ok.MessageId, "ok"))).Message);
        Assert.Contains("message text is empty", (await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(5004, "  "))).Message);
        Assert.Contains("chat not found", (await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(987654321, "hi"))).Message);
        Assert.Contains("message to edit not found", (await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageText(5004, 9999, "x"))).Message);
        Assert.Contains("caption is too long", (await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.SendPhoto(5004, InputFile.FromStream(new MemoryStream(new byte[100]), "p.jpg"), caption: new string('c', 1025)))).Message);
        Assert.Contains("wrong number of messages", (await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.SendMediaGroup(5004, [new InputMediaPhoto(InputFile.FromStream(new MemoryStream(new byte[10]), "a.jpg"))]))).Message);
    }

    [Fact]
    public async Task Unknown_methods_answer_404_like_telegram()
    {
        using var http = new HttpClient { BaseAddress = new Uri(emulator.Host.BaseUrl) };

        var response = await http.PostAsync($"/bot{EmulatorHost.NewToken()}/sendHologram", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"ok\":false", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_second_poller_and_polling_under_a_webhook_get_409()
    {
        var (bot, _) = NewBot();
        var first = bot.GetUpdates(timeout: 3);
        await Task.Delay(300);

        var second = await Assert.ThrowsAsync<ApiRequestException>(() => bot.GetUpdates(timeout: 1));
        await first;
        await bot.SetWebhook("http://127.0.0.1:9/hook");
        var underWebhook = await Assert.ThrowsAsync<ApiRequestException>(() => bot.GetUpdates());

        Assert.Equal(409, second.ErrorCode);
        Assert.Contains("terminated by other getUpdates", second.Message);
        Assert.Equal(409, underWebhook.ErrorCode);
        Assert.Contains("webhook is active", underWebhook.Message);
    }

    [Fact]
    public async Task Files_go_up_and_come_down_byte_for_byte()
    {
        var (bot, control) = NewBot();
        var user = await control.UserAsync(5005);
        var video = RandomNumberGenerator.GetBytes(6 * 1024 * 1024);
        var photo = RandomNumberGenerator.GetBytes(200_000);

        var sent = await bot.SendVideo(5005, InputFile.FromStream(new MemoryStream(video), "v.mp4"), width: 720, height: 1280, duration: 10,
            supportsStreaming: true, thumbnail: InputFile.FromStream(new MemoryStream(new byte[2000]), "t.jpg"));
        await user.SendPhoto(photo);
        var update = Assert.Single(await NextUpdates(bot));
        var file = await bot.GetFile(update.Message!.Photo![^1].FileId);
        var downloaded = new MemoryStream();
        await bot.DownloadFile(file.FilePath!, downloaded);
        var resent = await bot.SendVideo(5005, InputFile.FromFileId(sent.Video!.FileId));

        Assert.Equal(720, sent.Video.Width);
        Assert.Equal(10, sent.Video.Duration);
        Assert.NotNull(sent.Video.Thumbnail);
        Assert.Equal(SHA256.HashData(video), SHA256.HashData(await control.DownloadAsync(sent.Video.FileId)));
        Assert.Equal(SHA256.HashData(photo), SHA256.HashData(downloaded.ToArray()));
        Assert.Equal(sent.Video.FileId, resent.Video!.FileId);
    }

    [Fact]
    public async Task An_upload_over_50_MB_is_refused()
    {
        var (bot, control) = NewBot();
        await control.UserAsync(5006);

        var e = await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.SendVideo(5006, InputFile.FromStream(new MemoryStream(new byte[51 * 1024 * 1024]), "big.mp4")));

        Assert.Equal(413, e.ErrorCode);
    }

    [Fact]
    public async Task A_stars_invoice_is_paid_after_the_bot_approves_the_pre_checkout()
    {
        var (bot, control) = NewBot();
        var user = await control.UserAsync(5007);
        await bot.SendInvoice(5007, "10 кредитов", "10 видео", "payment-42", "XTR", [new LabeledPrice("10 кредитов", 450)]);
        var invoice = await user.Expect(m => m.Invoice is not null);

        var paying = user.Pay(invoice);
        var preCheckout = Assert.Single(await NextUpdates(bot)).PreCheckoutQuery!;
        await bot.AnswerPreCheckoutQuery(preCheckout.Id);
        var (charge, error) = await paying;
        var paid = Assert.Single(await NextUpdates(bot, offset: 0), u => u.Message?.SuccessfulPayment is not null).Message!.SuccessfulPayment!;

        Assert.Null(error);
        Assert.Equal("payment-42", preCheckout.InvoicePayload);
        Assert.Equal(450, preCheckout.TotalAmount);
        Assert.Equal(charge, paid.TelegramPaymentChargeId);
        Assert.Equal("XTR", paid.Currency);
    }

    [Fact]
    public async Task A_refused_pre_checkout_means_no_payment()
    {
        var (bot, control) = NewBot();
        var user = await control.UserAsync(5008);
        await bot.SendInvoice(5008, "5 кредитов", "5 видео", "payment-7", "XTR", [new LabeledPrice("5", 250)]);
        var invoice = await user.Expect(m => m.Invoice is not null);

        var paying = user.Pay(invoice);
        var preCheckout = Assert.Single(await NextUpdates(bot)).PreCheckoutQuery!;
        await bot.AnswerPreCheckoutQuery(preCheckout.Id, "Этот счёт уже оплачен");
        var (charge, error) = await paying;

        Assert.Null(charge);
        Assert.Equal("Этот счёт уже оплачен", error);
        Assert.DoesNotContain(await user.Transcript(), m => m.Json["successful_payment"] is not null);
    }

    [Fact]
    public async Task Injected_faults_look_like_telegram_failing()
    {
        var (bot, control) = NewBot();
        await control.UserAsync(5009);
        await control.InjectFaultAsync("sendMessage", "429", count: 1, retryAfter: 7);
        await control.InjectFaultAsync("sendChatAction", "500", count: 1);

        var limited = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(5009, "hi"));
        var broken = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendChatAction(5009, ChatAction.Typing));
        await bot.SendMessage(5009, "after the fault");

        await control.InjectFaultAsync("sendMessage", "drop", count: 1);
        await Assert.ThrowsAnyAsync<Telegram.Bot.Exceptions.RequestException>(() => bot.SendMessage(5009, "dropped"));
        await control.InjectFaultAsync("getMe", "slow", count: 1, delayMs: 300);
        var started = DateTime.UtcNow;
        await bot.GetMe();
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(250));

        Assert.Equal(429, limited.ErrorCode);
        Assert.Equal(7, limited.Parameters?.RetryAfter);
        Assert.Equal(500, broken.ErrorCode);
    }

    [Fact]
    public async Task A_user_who_blocked_the_bot_gets_nothing_and_the_bot_hears_403()
    {
        var (bot, control) = NewBot();
        var user = await control.UserAsync(5010);
        await user.Block();

        var e = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(5010, "news"));

        Assert.Equal(403, e.ErrorCode);
        Assert.Contains("blocked by the user", e.Message);
    }

    [Fact]
    public async Task Commands_are_kept_per_language()
    {
        var (bot, control) = NewBot();

        await bot.SetMyCommands([new BotCommand { Command = "start", Description = "Начать" }], languageCode: "ru");
        await bot.SetMyCommands([new BotCommand { Command = "start", Description = "Start" }]);

        Assert.Equal("Начать", (await bot.GetMyCommands(languageCode: "ru"))[0].Description);
        Assert.Equal("Start", (await bot.GetMyCommands())[0].Description);
        Assert.Equal(2, (await control.CommandsAsync()).Count);
    }

    [Fact]
    public async Task Albums_documents_captions_copies_keyboards_and_deletions_round_trip()
    {
        var (bot, control) = NewBot();
        var user = await control.UserAsync(5011);

        var album = await bot.SendMediaGroup(5011,
        [
            new InputMediaVideo(InputFile.FromStream(new MemoryStream(new byte[3000]), "a.mp4")) { Caption = "Демо 1" },
            new InputMediaVideo(InputFile.FromStream(new MemoryStream(new byte[4000]), "b.mp4")),
        ]);
        var document = await bot.SendDocument(5011, InputFile.FromStream(new MemoryStream(new byte[1234]), "price.pdf"), caption: "<b>Прайс</b>",
            parseMode: ParseMode.Html, replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("OK", "ok")));
        await bot.EditMessageReplyMarkup(5011, document.MessageId, null);
        // Like Telegram: removing a keyboard that is already gone is "not modified".
        await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageReplyMarkup(5011, document.MessageId, null));
        await bot.EditMessageCaption(5011, document.MessageId, "Новый прайс");
        var photo = await bot.SendPhoto(5011, InputFile.FromStream(new MemoryStream(new byte[5000]), "p.jpg"), caption: "Фото");
        var copy = await bot.CopyMessage(5011, 5011, album[0].MessageId);
        await bot.DeleteMessage(5011, album[1].MessageId);
        await bot.SetWebhook("http://127.0.0.1:9/hook");
        await bot.DeleteWebhook();

        Assert.Equal(2, album.Length);
        Assert.Equal(5000, photo.Photo![^1].FileSize);
        Assert.Equal("Фото", photo.Caption);
        Assert.Equal(album[0].MediaGroupId, album[1].MediaGroupId);
        Assert.Equal(1234, document.Document!.FileSize);
        Assert.Equal("", (await bot.GetWebhookInfo()).Url);
        var transcript = await user.Transcript();
        Assert.DoesNotContain(transcript, m => m.Id == album[1].MessageId);
        var edited = transcript.Single(m => m.Id == document.MessageId);
        Assert.Equal("Новый прайс", edited.Text);
        Assert.Empty(edited.Buttons);
        Assert.Equal("Демо 1", transcript.Single(m => m.Id == copy.Id).Text);
        Assert.Equal(album[0].Video!.FileId, transcript.Single(m => m.Id == copy.Id).Video!["file_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task As_a_local_bot_api_server_uploads_over_50_MB_are_accepted()
    {
        await using var local = await EmulatorHost.StartAsync(localServer: true);
        var token = EmulatorHost.NewToken();
        var bot = new TelegramBotClient(new TelegramBotClientOptions(token, local.BaseUrl));
        await local.Client(token).UserAsync(5012);

        var sent = await bot.SendVideo(5012, InputFile.FromStream(new MemoryStream(new byte[51 * 1024 * 1024]), "big.mp4"));

        Assert.Equal(51L * 1024 * 1024, sent.Video!.FileSize);
    }

    [Fact]
    public async Task A_restarted_emulator_goes_on_from_higher_update_ids_so_a_bot_that_remembers_handled_ids_still_answers()
    {
        var token = EmulatorHost.NewToken();
        async Task<int> FirstUpdateIdAsync()
        {
            await using var host = await EmulatorHost.StartAsync();
            var bot = new TelegramBotClient(new TelegramBotClientOptions(token, host.BaseUrl));
            var anna = await host.Client(token).UserAsync(5003, "Анна", "ru");
            await anna.Send("/start");
            return Assert.Single(await NextUpdates(bot)).Id;
        }

        var first = await FirstUpdateIdAsync();
        var second = await FirstUpdateIdAsync();

        // Telegram's ids only grow; the bot skips an id it handled in the last days (a local database outlives the emulator).
        Assert.True(second > first, $"{second} after {first}");
        // From the clock, so another process started later begins higher too.
        Assert.True(first >= (long)((DateTime.UtcNow.AddMinutes(-1) - new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds * 10));
    }
}
