using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Audio;
using OpenAI.Chat;

namespace NeuroCards.Worker.Prompting;

/// <summary>
/// The one way to reach OpenAI (the prompt and storyboard writers, the voice): the official SDK's clients on the
/// configured base URL, with one quick retry — every caller has a fallback worth more than minutes of the seller's wait.
/// </summary>
public static class OpenAiClients
{
    /// <summary>The chat model's client, or null without an API key.</summary>
    public static ChatClient? Chat(OpenAiOptions o) =>
        string.IsNullOrWhiteSpace(o.ApiKey) ? null : new ChatClient(o.Model, new ApiKeyCredential(o.ApiKey), Options(o));

    /// <summary>The speech model's client, or null without an API key.</summary>
    public static AudioClient? Speech(OpenAiOptions o) =>
        string.IsNullOrWhiteSpace(o.ApiKey) ? null : new AudioClient(o.SpeechModel, new ApiKeyCredential(o.ApiKey), Options(o));

    private static OpenAIClientOptions Options(OpenAiOptions o) => new()
    {
        Endpoint = new Uri(o.BaseUrl),
        NetworkTimeout = TimeSpan.FromSeconds(o.TimeoutSeconds),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 1),
    };
}
