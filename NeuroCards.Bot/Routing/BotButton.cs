namespace NeuroCards.Bot.Routing;

/// <summary>
/// A callback verb (the data before the first ':') and its handler, which gets the rest as its argument and returns false
/// when the button does not apply any more (old, forged or for another step): the router answers it as stale.
/// </summary>
public sealed record BotButton(string Verb, Func<BotContext, string, CancellationToken, Task<bool>> HandleAsync, bool BeforeConsent = false);
