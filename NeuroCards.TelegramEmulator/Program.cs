using NeuroCards.TelegramEmulator;

// A local Telegram Bot API: bots talk to /bot<token>/<method>, people use the web chat at /.
EmulatorApp.Build(args).Run();
