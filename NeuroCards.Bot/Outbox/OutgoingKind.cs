using System.Text.Json.Serialization;

namespace NeuroCards.Bot.Outbox;

[JsonConverter(typeof(JsonStringEnumConverter<OutgoingKind>))]
public enum OutgoingKind
{
    /// <summary>A new message.</summary>
    Text,
    /// <summary>A message's text (and buttons) changed in place.</summary>
    Edit,
    /// <summary>A message keeps its text and loses its buttons.</summary>
    RemoveButtons,
    /// <summary>The chat's screen loses its buttons: its step is done.</summary>
    RetireScreen,
    /// <summary>A video by its Telegram file id, or uploaded from our storage when Telegram no longer has it.</summary>
    Video,
    /// <summary>Several videos by Telegram file id, as one album.</summary>
    Album,
    /// <summary>A Telegram Stars invoice.</summary>
    Invoice,
}
