using NeuroCards.Core.Conversations;
using NeuroCards.Core.Orders;

namespace NeuroCards.Bot.Routing;

/// <summary>
/// One step of a flow, whole: its screen (<see cref="DrawAsync"/>), its buttons and what it does with whatever arrives while the
/// conversation is in <see cref="State"/>.
/// </summary>
public interface IStep
{
    ConversationState State { get; }

    /// <summary>The callback verbs of this step's own screen: pressed anywhere else, they are stale.</summary>
    IReadOnlyCollection<string> Buttons => [];

    /// <summary>The step's screen for the draft; null for a step whose screen is drawn elsewhere (the menu, the confirmation).</summary>
    Task<StepScreen?> DrawAsync(BotContext ctx, OrderDraft order, CancellationToken cancellationToken) => Task.FromResult<StepScreen?>(null);

    Task HandleAsync(BotContext ctx, CancellationToken cancellationToken);
}
