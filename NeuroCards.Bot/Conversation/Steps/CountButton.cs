namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>A button of the count step, typed: <c>cnt:{model}:{count}</c>, drawn and read back through this one type.</summary>
public sealed record CountButton(string Model, int Count)
{
    public const string Verb = "cnt";

    /// <summary>The numbers of videos an order can have.</summary>
    public static readonly IReadOnlyList<int> Counts = [1, 3, 5];

    public string Data => $"{Verb}:{Model}:{Count}";

    public static CountButton? Parse(string? data) =>
        data?.Split(':') is [Verb, var model, var n] && int.TryParse(n, out var count) && Counts.Contains(count) ? new(model, count) : null;
}
