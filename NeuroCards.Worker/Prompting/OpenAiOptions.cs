using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Worker.Prompting;

public sealed partial class OpenAiOptions
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<OpenAiOptions>;

    public const string Section = "OpenAI";

    /// <summary>OpenAI or a compatible API / proxy (OpenAI refuses some server regions), e.g. https://api.openai.com/v1.</summary>
    [Required, Url(ErrorMessage = "OpenAI__BaseUrl must be an absolute URL such as https://api.openai.com/v1")]
    public string BaseUrl { get; set; } = "https://api.openai.com/v1";

    /// <summary>Empty: no model is asked and the template's fallback prompt is used.</summary>
    public string? ApiKey { get; set; }

    [Required]
    public string Model { get; set; } = "gpt-4o-mini";

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The speech model for voice-overs (with a key; without one, espeak-ng's offline voice).</summary>
    [Required]
    public string SpeechModel { get; set; } = "gpt-4o-mini-tts";

    /// <summary>One of OpenAI's voices; they are tuned for English and all speak Russian.</summary>
    [Required, AllowedValues("alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse", "marin", "cedar",
        ErrorMessage = "OpenAI__Voice must be one of OpenAI's voices: alloy, ash, ballad, coral, echo, fable, onyx, nova, sage, shimmer, verse, marin, cedar")]
    public string Voice { get; set; } = "marin";
}
