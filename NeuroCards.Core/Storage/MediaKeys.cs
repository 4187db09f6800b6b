namespace NeuroCards.Core.Storage;

public static class MediaKeys
{
    public static string Input(Guid orderId, ImageKind kind, DateTime? now = null)
    {
        var at = now ?? DateTime.UtcNow;
        return $"inputs/{at:yyyy}/{at:MM}/{orderId}.{ImageSniffer.Extension(kind)}";
    }

    /// <summary>
    /// An order's photo named by its content as well: a key always names the same bytes, so a photo stored before the
    /// update that records it can never overwrite one another update recorded (two replicas, one chat, two photos).
    /// </summary>
    public static string Input(Guid orderId, ImageKind kind, ReadOnlySpan<byte> content, DateTime? now = null)
    {
        var at = now ?? DateTime.UtcNow;
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content))[..16];
        return $"inputs/{at:yyyy}/{at:MM}/{orderId}-{digest}.{ImageSniffer.Extension(kind)}";
    }

    public static string Output(Guid jobId, DateTime? now = null)
    {
        var at = now ?? DateTime.UtcNow;
        return $"outputs/{at:yyyy}/{at:MM}/{jobId}.mp4";
    }

    /// <summary>A card video preview's still: per making (a re-draw never overwrites a still a sent album shows).</summary>
    public static string Keyframe(Guid orderId, Guid making, int scene, DateTime? now = null)
    {
        var at = now ?? DateTime.UtcNow;
        return $"previews/{at:yyyy}/{at:MM}/{orderId}-{making:N}-{scene}.jpg";
    }

    /// <summary>One scene's clip of a card video, kept until the video is assembled and delivered.</summary>
    public static string SceneClip(Guid jobId, int scene, DateTime? now = null)
    {
        var at = now ?? DateTime.UtcNow;
        return $"scenes/{at:yyyy}/{at:MM}/{jobId}-{scene}.mp4";
    }

    /// <summary>
    /// One scene's voice line of a card video, spoken once: a run that assembles the video again reads it instead of
    /// paying for the speech again. Named by the job alone, so any run finds it.
    /// </summary>
    public static string SceneVoice(Guid jobId, int scene) => $"scenes/voices/{jobId:N}-{scene}.wav";

    /// <summary>The sample video new users see when no demo videos are configured (made by a worker once per storage).</summary>
    public const string DemoSample = "demo/sample.mp4";

    /// <summary>
    /// Keys are relative paths of safe characters: no "..", no leading slash, no backslash, so a key
    /// can never name a file outside the store.
    /// </summary>
    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 512 || key[0] == '/' || key.EndsWith('/')) return false;
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.')) return false;
        }
        return key.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != "..");
    }

    public static void EnsureValid(string key)
    {
        if (!IsValid(key)) throw new ArgumentException($"'{key}' is not a valid media key", nameof(key));
    }
}
