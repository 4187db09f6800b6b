namespace NeuroCards.Core.Money;

/// <param name="Created">True only for the one call that created the user and wrote the bonus.</param>
public sealed record EnsureUserResult(UserAccount User, bool Created);
