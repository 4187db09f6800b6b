namespace NeuroCards.Bot.Payments;

/// <summary>
/// The data of a payment button, typed: <c>pay:packs</c> (show the packs) or <c>pay:{method}:{pack}</c>. The buttons are
/// drawn from it and the callback is read back through it, so the two cannot drift apart.
/// </summary>
public sealed record PayButton(PayMethod? Method, int PackId)
{
    public const string Verb = "pay";

    /// <summary>"Buy credits": the list of packs.</summary>
    public static readonly PayButton Packs = new(null, 0);

    public static PayButton For(PayMethod method, int packId) => new(method, packId);

    public string Data => Method switch
    {
        null => $"{Verb}:packs",
        PayMethod.Stars => $"{Verb}:stars:{PackId}",
        PayMethod.Card => $"{Verb}:yk:{PackId}",
        PayMethod.Test => $"{Verb}:test:{PackId}",
        _ => throw new ArgumentOutOfRangeException(nameof(Method)),
    };

    public static PayButton? Parse(string? data) => data?.Split(':') switch
    {
        [Verb, "packs"] => Packs,
        [Verb, var method, var pack] when int.TryParse(pack, out var packId) && MethodOf(method) is { } known => For(known, packId),
        _ => null,
    };

    private static PayMethod? MethodOf(string word) => word switch
    {
        "stars" => PayMethod.Stars,
        "yk" => PayMethod.Card,
        "test" => PayMethod.Test,
        _ => null,
    };
}
