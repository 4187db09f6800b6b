namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>A button of the template step, typed: <c>tpl:{template}</c> for the templates a seller can pick.</summary>
public static class TemplateButton
{
    public const string Verb = "tpl";

    /// <summary>The templates, in the order the step shows them.</summary>
    public static readonly IReadOnlyList<string> Templates = ["ugc", "ad", "custom"];

    public static string Data(string template) => $"{Verb}:{template}";

    public static string? Parse(string? data) =>
        data?.Split(':') is [Verb, var template] && Templates.Contains(template) ? template : null;
}
