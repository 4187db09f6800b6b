namespace NeuroCards.Core.Money;

public sealed record UserAccount(
    long Id,
    string? Username,
    string? FirstName,
    string Language,
    int Balance,
    DateTime? ConsentAt,
    string? ConsentVersion,
    DateTime CreatedAt);
