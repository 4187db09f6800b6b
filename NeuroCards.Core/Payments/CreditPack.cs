namespace NeuroCards.Core.Payments;

public sealed record CreditPack(int Id, int Credits, decimal PriceRub, int PriceStars);
