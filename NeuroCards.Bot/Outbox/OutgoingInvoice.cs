namespace NeuroCards.Bot.Outbox;

/// <summary>A Stars invoice: one price, in Stars (currency XTR).</summary>
public sealed record OutgoingInvoice(string Title, string Description, string Payload, string PriceLabel, int Stars);
