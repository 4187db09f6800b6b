using NeuroCards.Bot;

// Telegram updates (polling or webhook), the conversation, payments, provider callbacks and media links.
BotApp.Build(args).Run();
