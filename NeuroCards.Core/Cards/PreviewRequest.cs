namespace NeuroCards.Core.Cards;

/// <summary>What came of asking for a preview.</summary>
public enum PreviewRequest
{
    /// <summary>Queued: a worker makes it and sends it.</summary>
    Requested,

    /// <summary>One is being made now; the press is not counted.</summary>
    Busy,

    /// <summary>The free re-draws of this preview are used up.</summary>
    RedrawLimit,

    /// <summary>The seller's previews for the last 24 hours are used up.</summary>
    DailyLimit,
}
