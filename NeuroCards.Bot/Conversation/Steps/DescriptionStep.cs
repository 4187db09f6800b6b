using NeuroCards.Core.Orders;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>Step 2: the product description, text only, 10–3000 characters.</summary>
public sealed class DescriptionStep(Screens screens) : IStep
{
    public const int Min = 10;
    public const int Max = 3000;

    public string State => States.Description;

    public async Task HandleAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var text = ctx.Text;
        if (text is null || ctx.OrderId is not { } orderId)
        {
            await ctx.Answer(cancellationToken: cancellationToken);
            await ctx.Reply(ctx.T("description.hint"), cancellationToken: cancellationToken);
            return;
        }
        if (text.Length < Min)
        {
            await ctx.Reply(ctx.T("description.too_short"), cancellationToken: cancellationToken);
            return;
        }
        if (text.Length > Max)
        {
            await ctx.Reply(ctx.T("description.too_long", ("length", text.Length)), cancellationToken: cancellationToken);
            return;
        }
        await OrderDrafts.SetAsync(ctx.Session.Connection, ctx.Session.Transaction, orderId, "description", text, cancellationToken);
        await screens.Template(ctx, cancellationToken);
    }
}
