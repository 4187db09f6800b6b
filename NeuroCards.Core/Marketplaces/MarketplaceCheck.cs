namespace NeuroCards.Core.Marketplaces;

/// <summary>
/// The rules a delivered file must pass to be uploaded as it is (checked with ffprobe on the bytes we deliver):
/// H.264 in MP4, the longest side 1080–1920 px, at least 8 s (Ozon's minimum; the first 8 s are its catalogue cover),
/// at most 5 min (Ozon) and 50 MB (a Wildberries card video). Which places a file fits follows from its frame.
/// </summary>
public static class MarketplaceCheck
{
    public const int MinLongestSide = 1080;
    public const int MaxLongestSide = 1920;
    public const double MinSeconds = 8;
    public const double MaxSeconds = 300;
    public const long MaxBytes = 50L * 1024 * 1024;

    /// <summary>Every rule the file breaks, in plain words (empty: it passes).</summary>
    public static IReadOnlyList<string> Problems(VideoFacts facts)
    {
        var problems = new List<string>();
        if (facts.Container is null || !facts.Container.Split(',').Contains("mp4")) problems.Add($"container {facts.Container ?? "unknown"}, not MP4");
        if (facts.VideoCodec != "h264") problems.Add($"codec {facts.VideoCodec ?? "unknown"}, not H.264");
        if (facts.LongestSide is < MinLongestSide or > MaxLongestSide)
            problems.Add($"longest side {facts.LongestSide} px, not {MinLongestSide}–{MaxLongestSide}");
        if (facts.DurationSeconds < MinSeconds) problems.Add($"{facts.DurationSeconds:0.#} s, shorter than {MinSeconds} s");
        if (facts.DurationSeconds > MaxSeconds) problems.Add($"{facts.DurationSeconds:0.#} s, longer than {MaxSeconds} s");
        if (facts.SizeBytes > MaxBytes) problems.Add($"{facts.SizeBytes / 1024 / 1024} MB, over 50 MB");
        return problems;
    }

    /// <summary>Where a file that passes fits, by its frame: a 3:4 card for the marketplaces, 9:16 for short-video feeds.</summary>
    public static IReadOnlyList<string> Fits(VideoFacts facts)
    {
        if (Problems(facts).Count > 0) return [];
        var ratio = (double)facts.Width / facts.Height;
        return ratio switch
        {
            < 0.65 => ["Wildberries", "Ozon", "Reels", "Shorts"],
            < 0.85 => ["Wildberries", "Ozon"],
            < 1.15 => ["Wildberries", "Ozon", "VK"],
            _ => ["Ozon"],
        };
    }
}
