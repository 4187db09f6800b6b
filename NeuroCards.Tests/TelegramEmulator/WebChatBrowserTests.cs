using Microsoft.Playwright;
using NeuroCards.Tests.TelegramEmulator.Client;
using Telegram.Bot;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Tests.TelegramEmulator;

/// <summary>A person in a real (headless) browser chats with a bot through the emulator's web chat.</summary>
public sealed class WebChatBrowserTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    /// <summary>A tiny bot: /start gets a message with a button; the button edits that message.</summary>
    private static async Task RunBotAsync(TelegramBotClient bot, CancellationToken cancellationToken)
    {
        var offset = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            Telegram.Bot.Types.Update[] updates;
            try { updates = await bot.GetUpdates(offset, timeout: 1, cancellationToken: cancellationToken); }
            catch (OperationCanceledException) { return; }
            foreach (var update in updates)
            {
                offset = update.Id + 1;
                if (update.Message?.Text == "/start")
                    await bot.SendMessage(update.Message.Chat.Id, "Привет! <b>Нажми кнопку</b>", Telegram.Bot.Types.Enums.ParseMode.Html,
                        replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("🎬 Создать видео", "create")), cancellationToken: cancellationToken);
                if (update.CallbackQuery is { } q)
                {
                    await bot.AnswerCallbackQuery(q.Id, cancellationToken: cancellationToken);
                    await bot.EditMessageText(q.Message!.Chat.Id, q.Message.MessageId, "📸 Пришли фото товара", cancellationToken: cancellationToken);
                }
            }
        }
    }

    [Fact]
    public async Task A_person_sends_start_and_presses_a_button_in_the_web_chat()
    {
        Assert.SkipWhen(Chromium.Path is null, "Chromium is not installed (scripts/setup.sh installs Debian's chromium)");
        var token = EmulatorHost.NewToken();
        var bot = new TelegramBotClient(new TelegramBotClientOptions(token, emulator.Host.BaseUrl));
        using var stop = new CancellationTokenSource();
        var botLoop = RunBotAsync(bot, stop.Token);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{emulator.Host.BaseUrl}/?token={Uri.EscapeDataString(token)}");
        await page.FillAsync("#newName", "Анна");
        await page.ClickAsync("#create");
        await page.FillAsync("#text", "/start");
        await page.PressAsync("#text", "Enter");
        await page.Locator("#chat button", new() { HasText = "Создать видео" }).ClickAsync(new() { Timeout = 15_000 });
        await page.Locator(".msg.bot", new() { HasText = "Пришли фото товара" }).WaitForAsync(new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ArtefactDir(), "webchat.png") });

        Assert.Equal(0, await page.Locator("#chat button").CountAsync()); // the edit removed the keyboard, in place
        Assert.Equal(1, await page.Locator(".msg.bot").CountAsync());
        stop.Cancel();
        await botLoop;
    }
}
