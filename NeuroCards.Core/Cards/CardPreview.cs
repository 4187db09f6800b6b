namespace NeuroCards.Core.Cards;

/// <summary>The preview of a card video order, before any charge (card_previews).</summary>
public sealed record CardPreview
{
    public Guid OrderId { get; init; }
    public long UserId { get; init; }
    public long ChatId { get; init; }
    public CardPreviewState State { get; init; }

    /// <summary>The seller's typed change, until the next making applies it.</summary>
    public string? Change { get; init; }
    public int Redraws { get; init; }

    /// <summary>The storyboard as JSON (the worker's type); null until the first making.</summary>
    public string? Storyboard { get; init; }
    public int? Scenes { get; init; }
    public string[]? KeyframeKeys { get; init; }
    public int[]? MessageIds { get; init; }

    /// <summary>The voice picked (<see cref="CardVoice"/>'s id).</summary>
    public string Voice { get; init; } = CardVoice.Default.Id;
    public DateTime UpdatedAt { get; init; }
}
