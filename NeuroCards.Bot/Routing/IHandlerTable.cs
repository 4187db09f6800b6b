namespace NeuroCards.Bot.Routing;

/// <summary>What one feature answers wherever the conversation is: its commands, its buttons and its kinds of message.</summary>
public interface IHandlerTable
{
    IEnumerable<BotCommand> Commands => [];

    IEnumerable<BotButton> Buttons => [];

    IEnumerable<MessageRoute> Messages => [];
}
