using NeuroCards.Core.Conversations;
namespace NeuroCards.Bot.Routing;

/// <summary>
/// Sends an update where it belongs: a command or a button to the feature whose table names it, a button of the current
/// step's own screen to that step, a special message to its route, anything else to the current step. Nothing but what is
/// marked as such works before consent. A button nobody takes is stale: a notice says so and its old message loses its buttons.
/// </summary>
public sealed class UpdateRouter(IEnumerable<IStep> steps, IEnumerable<IHandlerTable> tables, IConversationGate gate)
{
    private readonly Dictionary<ConversationState, IStep> _steps = steps.ToDictionary(s => s.State);
    private readonly Dictionary<string, BotCommand> _commands = tables.SelectMany(t => t.Commands).ToDictionary(c => c.Name);
    private readonly Dictionary<string, BotButton> _buttons = tables.SelectMany(t => t.Buttons).ToDictionary(b => b.Verb);
    private readonly List<MessageRoute> _messages = tables.SelectMany(t => t.Messages).ToList();

    public ConversationState InitialState => gate.InitialState;

    public async Task RouteAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var commandName = CommandName(ctx.Text);
        var command = commandName is null ? null : _commands.GetValueOrDefault(commandName);
        var (verb, argument) = Split(ctx.Data);
        var button = verb is null ? null : _buttons.GetValueOrDefault(verb);
        if (ctx.User.ConsentAt is null && command?.BeforeConsent != true && button?.BeforeConsent != true)
        {
            await gate.RequireConsentAsync(ctx, cancellationToken);
            return;
        }

        if (commandName is not null)
        {
            if (command is not null) await command.HandleAsync(ctx, cancellationToken);
            else await ctx.Reply(ctx.T("unknown.command"), cancellationToken: cancellationToken);
            return;
        }
        if (verb is not null)
        {
            if (button is not null && await button.HandleAsync(ctx, argument, cancellationToken)) return;
            if (_steps.TryGetValue(ctx.State, out var owner) && owner.Buttons.Contains(verb) && ctx.OnCurrentScreen)
            {
                await owner.HandleAsync(ctx, cancellationToken);
                return;
            }
            await StaleButtonAsync(ctx, cancellationToken);
            return;
        }
        if (_messages.FirstOrDefault(m => m.Matches(ctx)) is { } route)
        {
            await route.HandleAsync(ctx, cancellationToken);
            return;
        }
        if (_steps.TryGetValue(ctx.State, out var step)) await step.HandleAsync(ctx, cancellationToken);
        else await gate.FallbackAsync(ctx, cancellationToken);
    }

    /// <summary>
    /// A button of a step that is done: a notice says so, and that old message loses its buttons — it is not turned
    /// into the menu far up in the history, and the current step stays where it is.
    /// </summary>
    public static async Task StaleButtonAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        await ctx.Answer(ctx.T("button.stale"), cancellationToken: cancellationToken);
        if (ctx.Callback?.Message is { } old && old.MessageId != ctx.Session.MenuMessageId)
        {
            await ctx.RemoveButtonsAsync(old.MessageId, cancellationToken);
        }
    }

    private static string? CommandName(string? text)
    {
        if (text is null || !text.StartsWith('/')) return null;
        var word = text.Split([' ', '\n'], 2)[0];
        var at = word.IndexOf('@');
        return (at > 0 ? word[..at] : word).ToLowerInvariant();
    }

    private static (string? Verb, string Argument) Split(string? data) =>
        data is null ? (null, "") : data.IndexOf(':') is var colon and > 0 ? (data[..colon], data[(colon + 1)..]) : (data, "");
}
