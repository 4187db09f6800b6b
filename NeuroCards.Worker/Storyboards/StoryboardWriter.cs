using System.ClientModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using NeuroCards.Worker.Prompting;
using OpenAI.Chat;

namespace NeuroCards.Worker.Storyboards;

/// <summary>
/// Writes a card video's storyboard with the chat model under a strict JSON schema (structured output): shots in
/// English for the video model, captions and voice-over in Russian, then <see cref="Storyboard.Normalise"/>. A seller's
/// typed change rewrites the previous storyboard. Without the model, or when its answer is unusable, the storyboard is
/// made from the description, so a preview never waits on OpenAI.
/// </summary>
public sealed class StoryboardWriter(IOptions<OpenAiOptions> options, ILogger<StoryboardWriter> logger)
{
    public sealed record Result(Storyboard Storyboard, bool FromModel);

    private readonly Lazy<ChatClient?> _client = new(() => OpenAiClients.Chat(options.Value));

    private const string Instructions =
        "You write storyboards for 15-30 second product videos for Russian marketplaces (Wildberries, Ozon). The seller's product photo "
        + "starts every scene: the product must stay exactly as in the photo. No people, no hands, no other brands, no text in the shots. "
        + "Write 3-5 scenes. For each: 'shot' - in English, one sentence: what the camera shows and how it moves; 'caption' - in Russian, "
        + "at most 6 words, drawn in the frame; 'voice' - the Russian voice-over line for the scene, about 2.5 words per second of it; "
        + "'seconds' - 3 to 8. 'headline' - in Russian, at most 5 words, shown alone while the video plays muted in the first 8 seconds. "
        + "The scenes add up to 15-30 seconds. In 'voice' put a combining acute accent (U+0301) after the stressed vowel of the product's "
        + "name and of any brand or unusual word. Never write prices, discounts, promotions, contacts, links, or claims like 'хит', "
        + "'лучший', 'топ', '№1', 'самый'.";

    /// <summary>The answer's shape; strict, so every property is required and nothing else is allowed.</summary>
    public static readonly BinaryData Schema = BinaryData.FromString("""
        {
          "type": "object",
          "properties": {
            "headline": { "type": "string" },
            "scenes": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "shot": { "type": "string" },
                  "caption": { "type": "string" },
                  "voice": { "type": "string" },
                  "seconds": { "type": "number" }
                },
                "required": ["shot", "caption", "voice", "seconds"],
                "additionalProperties": false
              }
            }
          },
          "required": ["headline", "scenes"],
          "additionalProperties": false
        }
        """);

    /// <param name="previous">The storyboard the seller saw, with <paramref name="change"/>: what they typed to change it.</param>
    public async Task<Result> WriteAsync(string description, string? wishes, CancellationToken cancellationToken,
        Storyboard? previous = null, string? change = null)
    {
        var client = _client.Value;
        if (client is not null)
        {
            try
            {
                var user = $"The product and the seller's description:\n{description}\n\nThe seller's wishes (may be empty): {wishes}";
                if (previous is not null)
                {
                    user += $"\n\nThe storyboard the seller saw:\n{previous.ToJson()}\n\n"
                            + $"Rewrite it as the seller asks, keeping what they did not ask to change: {change}";
                }
                var completion = await client.CompleteChatAsync([new SystemChatMessage(Instructions), new UserChatMessage(user)],
                    new ChatCompletionOptions
                    {
                        Temperature = 0.8f,
                        MaxOutputTokenCount = 1200,
                        ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("storyboard", Schema, jsonSchemaIsStrict: true),
                    }, cancellationToken);
                if (completion.Value.Refusal is { Length: > 0 } refusal)
                {
                    logger.LogWarning("The storyboard model refused ({Refusal}); using the description", refusal);
                }
                else if (Parse(completion.Value.Content.Count > 0 ? completion.Value.Content[0].Text : "") is { } storyboard)
                {
                    return new Result(storyboard, FromModel: true);
                }
                else
                {
                    logger.LogWarning("The storyboard model's answer was not a usable storyboard; using the description");
                }
            }
            catch (Exception e) when (e is ClientResultException or HttpRequestException or TimeoutException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                logger.LogWarning("The storyboard model failed ({Error}); using the description", e.GetType().Name);
            }
        }
        return new Result(previous ?? Storyboard.FromLines(CaptionWriter.Compose([], description)), FromModel: false);
    }

    /// <summary>The model's JSON as a normalised storyboard; null when it is not one.</summary>
    public static Storyboard? Parse(string json)
    {
        try
        {
            var root = JsonNode.Parse(json)?.AsObject();
            var scenes = root?["scenes"]?.AsArray().OfType<JsonObject>().Select(s => new StoryboardScene(
                s["shot"]?.GetValue<string>() ?? "", s["caption"]?.GetValue<string>() ?? "", s["voice"]?.GetValue<string>() ?? "",
                s["seconds"]?.GetValue<double>() ?? 0)).ToList();
            return root is null || scenes is null ? null : Storyboard.Normalise(root["headline"]?.GetValue<string>() ?? "", scenes);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

}
