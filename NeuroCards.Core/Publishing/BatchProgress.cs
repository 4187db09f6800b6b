namespace NeuroCards.Core.Publishing;

/// <summary>Where a batch is: videos made, on cards, failed (a video not made, or a card that refused it), still on their way.</summary>
public sealed record BatchProgress(int Total, int Made, int Published, int Failed, int Cancelled, int Active)
{
    /// <summary>Every card has its outcome: a video on the card, or a failure.</summary>
    public bool Finished => Active == 0;
}
