using NeuroCards.Core.Data;
using NeuroCards.Core.Marketplaces;

namespace NeuroCards.Core.Cards;

/// <summary>
/// The preview's buttons, typed: <c>card:{action}:{order}</c>, <c>card:format:{order}:{format}</c> for a frame and
/// <c>card:voice:{order}:{voice}</c> for a voice. The
/// worker draws them under the preview it sends and the bot handles them; the order id makes a button of an old preview
/// or another chat's recognisable.
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
        Format,
        Voice,
    }

    public static string Data(Action action, Guid orderId) => $"{Verb}:{action.ToString().ToLowerInvariant()}:{orderId:N}";

    public static string Data(VideoFormat format, Guid orderId) => $"{Data(Action.Format, orderId)}:{format.ToDb()}";

    public static string Data(CardVoice voice, Guid orderId) => $"{Data(Action.Voice, orderId)}:{voice.Id}";

    /// <summary>
    /// What a button's argument (the data after <c>card:</c>) asks: the action, the order, and the frame or the voice it
    /// names; null for anything else.
    /// </summary>
    public static (Action Action, Guid OrderId, VideoFormat? Format, CardVoice? Voice)? Parse(string argument)
    {
        var parts = argument.Split(':');
        if (parts.Length is not (2 or 3) || !Enum.TryParse<Action>(parts[0], ignoreCase: true, out var action) || !Enum.IsDefined(action)
            || !Guid.TryParseExact(parts[1], "N", out var orderId)) return null;
        return (action, parts.Length) switch
        {
            (Action.Format, 3) when DbText.TryParse<VideoFormat>(parts[2], out var format) => (action, orderId, format, null),
            (Action.Voice, 3) when CardVoice.All.FirstOrDefault(v => v.Id == parts[2]) is { } voice => (action, orderId, null, voice),
            (not (Action.Format or Action.Voice), 2) => (action, orderId, null, null),
            _ => null,
        };
    }
}
