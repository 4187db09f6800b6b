using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;

namespace NeuroCards.Worker.Prompting;

/// <summary>The one way to reach the chat model (the prompt writer, the storyboard writer): the official SDK's client.</summary>
public static class ChatClients
{
    /// <summary>The client for the configured model, or null without an API key (the callers then use their fallbacks).</summary>
    public static ChatClient? Create(OpenAiOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.ApiKey)) return null;
        return new ChatClient(o.Model, new ApiKeyCredential(o.ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(o.BaseUrl),
            NetworkTimeout = TimeSpan.FromSeconds(o.TimeoutSeconds),
            // One quick retry, then the fallback: a prompt is not worth minutes of the user's wait.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 1),
        });
    }
}
