namespace NeuroCards.Core.Money;

/// <summary>Credits moved today: bought, spent on orders and given back for failed videos.</summary>
public sealed record LedgerTotals(long Sold, long Spent, long Refunded);
