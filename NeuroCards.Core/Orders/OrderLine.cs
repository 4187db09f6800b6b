namespace NeuroCards.Core.Orders;

/// <summary>An order as a list shows it (the account, an admin's /user).</summary>
public sealed record OrderLine(Guid Id, DateTime CreatedAt, string Status, VideoTemplate? Template, int? Count, string? Description);
