using System.ClientModel;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Data;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Texts;
using OpenAI.Chat;

namespace NeuroCards.Worker.Prompting;

/// <summary>
/// Turns the seller's description and wishes into one English video prompt with an OpenAI chat
/// model. Own prompts skip the model; when the model cannot be asked, the template's own fallback
/// prompt is used (an ad fallback never adds a person).
/// </summary>
public sealed partial class PromptWriter(IOptions<OpenAiOptions> options, ILogger<PromptWriter> logger)
{
    public const int MaxPromptLength = 2500;
    private readonly ConcurrentDictionary<string, PromptTemplate> _templates = new();
    private readonly Lazy<ChatClient?> _client = new(() => OpenAiClients.Chat(options.Value));

    public static string TemplatesFolder => Path.Combine(AppContext.BaseDirectory, "prompts");

    /// <summary>The prompt, and the caption lines when they were asked for (empty otherwise).</summary>
    public sealed record Result(string Prompt, bool FromModel, IReadOnlyList<string> Captions);

    public async Task<Result> WriteAsync(VideoTemplate template, string language, string description, string? wishes, string? userPrompt, int variant,
        CancellationToken cancellationToken, bool captions = false)
    {
        IReadOnlyList<string> FromDescription() => captions ? CaptionWriter.Compose([], description) : [];
        if (template == VideoTemplate.Custom)
        {
            return new Result(Clean(userPrompt ?? description), FromModel: false, FromDescription());
        }

        var file = Template(template, language);
        var direction = file.Direction(variant);
        var client = _client.Value;
        if (client is not null)
        {
            try
            {
                var user = file.User.Replace("{description}", description).Replace("{wishes}", wishes ?? "")
                    .Replace("{variant}", (variant + 1).ToString()).Replace("{direction}", direction);
                var system = captions ? file.System + "\n\n" + CaptionWriter.Instruction : file.System;
                var completion = await client.CompleteChatAsync(
                    [new SystemChatMessage(system), new UserChatMessage(user)],
                    new ChatCompletionOptions { Temperature = 0.9f, MaxOutputTokenCount = 600 }, cancellationToken);
                var (answer, lines) = CaptionWriter.Split(completion.Value.Content.Count > 0 ? completion.Value.Content[0].Text : "");
                var text = Clean(answer);
                if (text.Length >= 20) return new Result(text, FromModel: true, captions ? CaptionWriter.Compose(lines, description) : []);
                logger.LogWarning("The prompt model answered too little ({Length} chars); using the {Template} fallback", text.Length, template);
            }
            catch (Exception e) when (e is ClientResultException or HttpRequestException or TimeoutException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                logger.LogWarning("The prompt model failed ({Error}); using the {Template} fallback", e.GetType().Name, template);
            }
        }

        var fallback = file.Fallback.Replace("{product}", ProductName.Of(description, 80)).Replace("{direction}", direction);
        // The seller's own words reach the provider even when the model could not translate them.
        if (!string.IsNullOrWhiteSpace(wishes)) fallback += " " + file.Wishes.Replace("{wishes}", wishes.Trim().TrimEnd('.'));
        return new Result(Clean(fallback), FromModel: false, FromDescription());
    }

    /// <summary>Models like to wrap answers in quotes, fences or a "Prompt:" label.</summary>
    public static string Clean(string text)
    {
        var t = Fences().Replace(text.Trim(), "").Trim();
        t = Label().Replace(t, "").Trim();
        t = t.Trim('"', '\'', '«', '»', '“', '”').Trim();
        t = Whitespace().Replace(t, " ");
        return TextElements.Head(t, MaxPromptLength);
    }

    private PromptTemplate Template(VideoTemplate template, string language) => _templates.GetOrAdd($"{template.ToDb()}.{language}", key =>
    {
        var path = Path.Combine(TemplatesFolder, key + ".md");
        if (!File.Exists(path)) path = Path.Combine(TemplatesFolder, $"{template}.en.md");
        return PromptTemplate.Parse(File.ReadAllText(path));
    });

    [GeneratedRegex(@"^```[a-zA-Z]*\s*|\s*```$")]
    private static partial Regex Fences();

    [GeneratedRegex(@"^(prompt|video prompt)\s*:\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Label();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
