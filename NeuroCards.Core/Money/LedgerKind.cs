namespace NeuroCards.Core.Money;

/// <summary>What a ledger row is (ledger.kind, stored as text).</summary>
public enum LedgerKind
{
    Bonus,
    Purchase,
    Charge,
    Refund,
    Grant,
    Reversal,

    /// <summary>A seller's balance carried over from the previous NeuroCards at cutover (once per seller).</summary>
    Migrated,
}
