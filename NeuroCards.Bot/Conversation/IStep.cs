namespace NeuroCards.Bot.Conversation;

/// <summary>One step of a flow: handles whatever arrives while the conversation is in <see cref="State"/>.</summary>
public interface IStep
{
    string State { get; }

    Task HandleAsync(BotContext context, CancellationToken cancellationToken);
}
