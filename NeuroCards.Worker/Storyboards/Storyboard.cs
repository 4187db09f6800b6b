using System.Text.Encodings.Web;
using System.Text.Json;
using NeuroCards.Core.Marketplaces;

namespace NeuroCards.Worker.Storyboards;

/// <summary>
/// The script of a 15–30 s card video: a headline for the first 8 s (the part Ozon shows muted) and 3–5 scenes, each
/// with its shot, caption, voice-over line and length. <see cref="Normalise"/> makes any draft (the model's or our own)
/// one the rest of the pipeline can trust.
/// </summary>
public sealed record Storyboard(string Headline, IReadOnlyList<StoryboardScene> Scenes)
{
    public const int MinScenes = 3, MaxScenes = 5;
    public const double MinSeconds = 15, MaxSeconds = 30, MinScene = 3, MaxScene = 8;

    /// <summary>A natural Russian voice-over pace; a line longer than its scene allows is cut to whole words.</summary>
    public const double WordsPerSecond = 2.5;

    public double Seconds => Scenes.Sum(s => s.Seconds);

    /// <summary>
    /// The draft made safe: at most five scenes (null when fewer than three are usable), each 3–8 s and long enough for
    /// its voice line (a line longer than 8 s allows loses its last words), 15–30 s in all; captions and the headline
    /// pass the marketplaces' rules (<see cref="CaptionRules"/>) and lose stress marks, which only the voice keeps.
    /// </summary>
    public static Storyboard? Normalise(string headline, IEnumerable<StoryboardScene> draft)
    {
        var scenes = draft.Where(s => !string.IsNullOrWhiteSpace(s.Shot) && !string.IsNullOrWhiteSpace(s.Voice)).Take(MaxScenes)
            .Select(s =>
            {
                var voice = Words(s.Voice.Trim(), (int)(MaxScene * WordsPerSecond));
                var caption = CaptionRules.Clean([Unstressed(s.Caption)]) is [var line, ..] ? line : "";
                return new StoryboardScene(s.Shot.Trim(), caption, voice, Math.Clamp(Math.Max(s.Seconds, Need(voice)), MinScene, MaxScene));
            }).ToList();
        if (scenes.Count < MinScenes) return null;
        if (CaptionRules.Clean([Unstressed(headline)]) is not [var title, ..]) return null;

        var total = scenes.Sum(s => s.Seconds);
        Func<double, double> tenths = Math.Round;
        if (total > MaxSeconds)
        {
            // Each scene gives up, in proportion, what it has beyond its voice line's need; when even the needs pass
            // 30 s, the last scenes go.
            while (scenes.Sum(s => Need(s.Voice)) > MaxSeconds) scenes.RemoveAt(scenes.Count - 1);
            var needs = scenes.Sum(s => Need(s.Voice));
            total = scenes.Sum(s => s.Seconds);
            if (total > MaxSeconds)
            {
                var keep = (MaxSeconds - needs) / (total - needs);
                scenes = scenes.Select(s => s with { Seconds = Need(s.Voice) + (s.Seconds - Need(s.Voice)) * keep }).ToList();
            }
            tenths = Math.Floor;
        }
        else if (total < MinSeconds)
        {
            // Slower scenes rather than a video under 15 s: each grows in proportion, none past 8 s.
            for (var i = 0; i < MaxScenes && scenes.Sum(s => s.Seconds) < MinSeconds - 0.01; i++)
            {
                var grow = MinSeconds / scenes.Sum(s => s.Seconds);
                scenes = scenes.Select(s => s with { Seconds = Math.Min(MaxScene, s.Seconds * grow) }).ToList();
            }
            tenths = Math.Ceiling;
        }
        // In tenths of a second, rounded the way that keeps the total inside 15–30 s.
        return new Storyboard(title, scenes.Select(s => s with { Seconds = tenths(s.Seconds * 10) / 10 }).ToList());
    }

    /// <summary>What a voice line needs at a natural pace, with a breath: 3–8 s.</summary>
    private static double Need(string voice) => Math.Clamp(Count(voice) / WordsPerSecond + 0.5, MinScene, MaxScene);

    /// <summary>
    /// Our own storyboard when the model cannot be asked: from the caption lines taken from the seller's description
    /// (the product's name, then its short claims), one scene each, three at least.
    /// </summary>
    public static Storyboard FromLines(IReadOnlyList<string> lines)
    {
        var name = lines.Count > 0 ? lines[0] : "Товар";
        string Line(int i) => i < lines.Count ? lines[i] : name;
        var draft = new[]
        {
            new StoryboardScene("The product from the photo alone on a clean surface, slow push-in, soft studio light", Line(0), $"{name}.", 6),
            new StoryboardScene("Close-up of the product's details and texture, gentle orbit, shallow depth of field", Line(1), $"{Line(1)}.", 6),
            new StoryboardScene("The product in a calm everyday setting, slow pan, warm natural light", Line(2), $"{Line(2)}.", 6),
        };
        return Normalise(name, draft)!;
    }

    /// <summary>As stored with the preview and shown to the model for a rewrite (Russian kept readable).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Unstressed(string text) => text.Replace("\u0301", "");

    private static int Count(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    private static string Words(string line, int max)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= max ? line : string.Join(' ', words.Take(max)).TrimEnd(',', ';', ':', '—', '-') + ".";
    }
}
