using NeuroCards.Core.Data;
using NeuroCards.Core.Orders;

namespace NeuroCards.Bot.Conversation.Steps;

/// <summary>A button of the template step, typed: <c>tpl:{template}</c> for the templates a seller can pick.</summary>
public static class TemplateButton
{
    public const string Verb = "tpl";

    /// <summary>The templates, in the order the step shows them.</summary>
    public static readonly IReadOnlyList<VideoTemplate> Templates = [VideoTemplate.Ugc, VideoTemplate.Ad, VideoTemplate.Card, VideoTemplate.Custom];

    public static string Data(VideoTemplate template) => $"{Verb}:{template.ToDb()}";

    public static VideoTemplate? Parse(string? data) =>
        data?.Split(':') is [Verb, var text] && DbText.TryParse<VideoTemplate>(text, out var template) ? template : null;
}
