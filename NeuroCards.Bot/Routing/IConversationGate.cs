using NeuroCards.Core.Conversations;
namespace NeuroCards.Bot.Routing;

/// <summary>The conversation's entry and exit: the consent asked before anything else, and where an update no one takes goes.</summary>
public interface IConversationGate
{
    /// <summary>The state a new chat starts in.</summary>
    ConversationState InitialState { get; }

    /// <summary>Anything but /start before the user agreed to the terms: they are asked again.</summary>
    Task RequireConsentAsync(BotContext ctx, CancellationToken cancellationToken);

    /// <summary>A message no step, command or route takes.</summary>
    Task FallbackAsync(BotContext ctx, CancellationToken cancellationToken);
}
