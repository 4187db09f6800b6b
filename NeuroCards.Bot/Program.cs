using NeuroCards.Bot;
using NeuroCards.Bot.Cutover;

// The one-off move from the previous NeuroCards (cutover.sh on a server runs it with the service's settings).
if (args is ["cutover", .. var options]) return await LegacyCutover.RunAsync(options, new ConfigurationBuilder().AddEnvironmentVariables().Build(), Console.Out, CancellationToken.None);

// Telegram updates (polling or webhook), the conversation, payments, provider callbacks and media links.
await BotApp.Build(args).RunAsync();
return 0;
