namespace NeuroCards.Core.Generation;

/// <summary>One video model users can pick: its price and how the provider is asked for it.</summary>
public sealed class VideoModelOptions
{
    public string Title { get; set; } = "";

    /// <summary>Credits per video.</summary>
    public int Price { get; set; } = 1;

    /// <summary>KIE endpoint family: market (jobs/createTask) or veo (veo/generate).</summary>
    public ModelFamily Family { get; set; } = ModelFamily.Market;

    /// <summary>The provider's model id, e.g. sora-2-image-to-video or veo3_fast.</summary>
    public string ProviderModel { get; set; } = "";

    /// <summary>Extra input fields sent as they are (aspect_ratio, n_frames, remove_watermark, …).</summary>
    public Dictionary<string, string> Input { get; set; } = [];

    /// <summary>
    /// Input fields per frame format the model renders natively (vertical, card, square), merged over <see cref="Input"/>;
    /// a format not named here is rendered in the model's own frame and reframed by the worker.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> Formats { get; set; } = [];

    /// <summary>How long the model's videos are: what the confirmation says (a shorter clip is extended to 8 s).</summary>
    public int Seconds { get; set; } = 10;

    /// <summary>Minutes a render usually takes, for the confirmation's "expected time".</summary>
    public int ExpectedMinutes { get; set; } = 5;
}
