namespace NeuroCards.Core.Generation;

/// <summary>One video model of the catalogue: what the seller sees and pays, and how KIE is asked for it.</summary>
public sealed class VideoModelOptions
{
    public string Title { get; set; } = "";

    /// <summary>Off: not offered and not used as a fallback (an admin's /models on overrides it at run time).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Credits per video (an admin's /models price overrides it at run time).</summary>
    public int Price { get; set; } = 1;

    /// <summary>Where the model stands in the list and in the fallback chain: lower first.</summary>
    public int Rank { get; set; } = 100;

    /// <summary>KIE endpoint family: market (jobs/createTask) or veo (veo/generate).</summary>
    public ModelFamily Family { get; set; } = ModelFamily.Market;

    /// <summary>KIE's model id, e.g. bytedance/seedance-2, kling-3.0/video or veo3_fast.</summary>
    public string ProviderModel { get; set; } = "";

    /// <summary>Which input field carries the product photo (market models name it differently).</summary>
    public PhotoInput Photo { get; set; } = PhotoInput.FirstFrameUrl;

    /// <summary>Extra input fields sent as they are (aspect_ratio, duration, resolution, …); whole numbers and true/false go as JSON.</summary>
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

    /// <summary>What one task costs in KIE credits by KIE's price list: the cost ledger's figure until the balance tells.</summary>
    public decimal KieCredits { get; set; }
}
