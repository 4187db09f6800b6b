namespace NeuroCards.Worker.Prompting;

public sealed class OpenAiOptions
{
    public const string Section = "OpenAI";

    /// <summary>OpenAI or a compatible API / proxy (OpenAI refuses some server regions), e.g. https://api.openai.com/v1.</summary>
    public string BaseUrl { get; set; } = "https://api.openai.com/v1";

    /// <summary>Empty: no model is asked and the template's fallback prompt is used.</summary>
    public string? ApiKey { get; set; }

    public string Model { get; set; } = "gpt-4o-mini";

    public int TimeoutSeconds { get; set; } = 30;
}
