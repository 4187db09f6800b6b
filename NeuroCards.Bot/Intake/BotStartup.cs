using Microsoft.Extensions.Options;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NeuroCards.Bot.Intake;

/// <summary>Registers the command list in both languages, the Mini App as the chat's menu button and, in webhook mode, the webhook (pending updates kept).</summary>
public sealed class BotStartup(ITelegramBotClient bot, TextCatalog texts, IOptions<TelegramOptions> options, IOptions<BotOptions> botOptions,
    ILogger<BotStartup> logger) : BackgroundService
{
    private static readonly string[] Commands = ["start", "menu", "account", "buy", "help", "cancel", "language"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await StartupRetry.RunAsync(async () =>
        {
            await bot.SetMyCommands(Describe("ru"), languageCode: "ru", cancellationToken: stoppingToken);
            await bot.SetMyCommands(Describe("en"), cancellationToken: stoppingToken);
            // One menu button for every chat (Telegram has no per-language one): the Mini App, or the command list without it.
            await bot.SetChatMenuButton(menuButton: botOptions.Value.MiniAppUrl is { } app
                ? new MenuButtonWebApp { Text = texts.Get(TextCatalog.DefaultLanguage, "app.menu"), WebApp = new WebAppInfo(app) }
                : new MenuButtonCommands(), cancellationToken: stoppingToken);
            var o = options.Value;
            if (o.Mode == TelegramMode.Webhook)
            {
                // Without a domain the certificate is self-signed: Telegram trusts it once it has it.
                await using var certificate = string.IsNullOrEmpty(o.WebhookCertificate) ? null : File.OpenRead(o.WebhookCertificate);
                await bot.SetWebhook(o.WebhookUrl!, certificate: certificate is null ? null : InputFile.FromStream(certificate, "webhook.pem"),
                    allowedUpdates: PollingService.AllowedUpdates, dropPendingUpdates: false, secretToken: o.WebhookSecret, cancellationToken: stoppingToken);
                logger.LogInformation("Webhook registered");
            }
        }, logger, stoppingToken);
    }

    private IEnumerable<BotCommand> Describe(string language) =>
        Commands.Select(c => new BotCommand { Command = c, Description = texts.Get(language, "command." + c) });
}
