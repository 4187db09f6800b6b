namespace NeuroCards.TelegramEmulator.State;

/// <summary>An invoice made by createInvoiceLink: paid from a Mini App (openInvoice) by its slug.</summary>
public sealed record InvoiceLink(string Slug, string Title, string Description, string Currency, int TotalAmount, string Payload);
