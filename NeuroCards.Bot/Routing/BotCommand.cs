namespace NeuroCards.Bot.Routing;

/// <summary>A slash command (lower case, without the bot's @name) and what it does; most work only after consent.</summary>
public sealed record BotCommand(string Name, Func<BotContext, CancellationToken, Task> HandleAsync, bool BeforeConsent = false);
