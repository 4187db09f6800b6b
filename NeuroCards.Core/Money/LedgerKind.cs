namespace NeuroCards.Core.Money;

public static class LedgerKind
{
    public const string Bonus = "bonus";
    public const string Purchase = "purchase";
    public const string Charge = "charge";
    public const string Refund = "refund";
    public const string Grant = "grant";
}
