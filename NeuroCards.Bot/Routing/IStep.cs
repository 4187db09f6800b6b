using NeuroCards.Core.Conversations;
namespace NeuroCards.Bot.Routing;

/// <summary>One step of a flow: handles whatever arrives while the conversation is in <see cref="State"/>.</summary>
public interface IStep
{
    ConversationState State { get; }

    /// <summary>The callback verbs of this step's own screen: pressed anywhere else, they are stale.</summary>
    IReadOnlyCollection<string> Buttons => [];

    Task HandleAsync(BotContext context, CancellationToken cancellationToken);
}
