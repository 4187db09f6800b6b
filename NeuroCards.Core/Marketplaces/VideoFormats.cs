namespace NeuroCards.Core.Marketplaces;

public static class VideoFormats
{
    /// <summary>The frame as sellers name it on a button: «3:4».</summary>
    public static string Ratio(this VideoFormat format) => format switch
    {
        VideoFormat.Card => "3:4",
        VideoFormat.Square => "1:1",
        _ => "9:16",
    };
}
