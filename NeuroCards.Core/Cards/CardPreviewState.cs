namespace NeuroCards.Core.Cards;

/// <summary>Where a card video's preview is (card_previews.state, stored as text).</summary>
public enum CardPreviewState
{
    /// <summary>Asked for (first, after a typed change or a re-draw); a worker will make it.</summary>
    Requested,

    /// <summary>A worker is writing the storyboard and drawing the stills.</summary>
    Making,

    /// <summary>Sent to the seller; "🚀 Делаем" charges it.</summary>
    Ready,

    /// <summary>Could not be made; the seller was told and may ask again.</summary>
    Failed,
}
