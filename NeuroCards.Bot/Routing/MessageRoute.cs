namespace NeuroCards.Bot.Routing;

/// <summary>A kind of message that is not a step's input (a payment receipt, an admin's video) and who takes it.</summary>
public sealed record MessageRoute(Func<BotContext, bool> Matches, Func<BotContext, CancellationToken, Task> HandleAsync);
