namespace NeuroCards.Core.Generation;

/// <summary>One video model users can pick: its price and how the provider is asked for it.</summary>
public sealed class VideoModelOptions
{
    public string Title { get; set; } = "";

    /// <summary>Credits per video.</summary>
    public int Price { get; set; } = 1;

    /// <summary>KIE endpoint family: "market" (jobs/createTask) or "veo" (veo/generate).</summary>
    public string Family { get; set; } = "market";

    /// <summary>The provider's model id, e.g. sora-2-image-to-video or veo3_fast.</summary>
    public string ProviderModel { get; set; } = "";

    /// <summary>Extra input fields sent as they are (aspect_ratio, n_frames, remove_watermark, …).</summary>
    public Dictionary<string, string> Input { get; set; } = [];

    /// <summary>Minutes a render usually takes, for the confirmation's "expected time".</summary>
    public int ExpectedMinutes { get; set; } = 5;
}
