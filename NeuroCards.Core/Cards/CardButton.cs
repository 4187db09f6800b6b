namespace NeuroCards.Core.Cards;

/// <summary>
/// The preview's buttons, typed: <c>card:{action}:{order}</c>. The worker draws them under the preview it sends and the
/// bot handles them; the order id makes a button of an old preview or another chat's recognisable.
/// </summary>
public static class CardButton
{
    public const string Verb = "card";

    public enum Action
    {
        Go,
        Edit,
        Redo,
        Back,
    }

    public static string Data(Action action, Guid orderId) => $"{Verb}:{action.ToString().ToLowerInvariant()}:{orderId:N}";

    /// <summary>The action and order of a button's argument (the data after <c>card:</c>); null for anything else.</summary>
    public static (Action Action, Guid OrderId)? Parse(string argument) =>
        argument.Split(':') is [var action, var id] && Enum.TryParse<Action>(action, ignoreCase: true, out var a)
            && Enum.IsDefined(a) && Guid.TryParseExact(id, "N", out var orderId)
            ? (a, orderId) : null;
}
