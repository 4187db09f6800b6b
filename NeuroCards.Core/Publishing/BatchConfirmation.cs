namespace NeuroCards.Core.Publishing;

public abstract record BatchConfirmation
{
    public sealed record Started(int Cost, int Balance) : BatchConfirmation;

    public sealed record BalanceShort(int Cost, int Balance) : BatchConfirmation;

    /// <summary>Already started, cancelled, or not this seller's.</summary>
    public sealed record NotDraft : BatchConfirmation;
}
