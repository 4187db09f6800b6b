namespace NeuroCards.Worker.Media;

/// <summary>
/// Where the product is in a video, as fractions of its height: from the first to the last row with detail in the
/// first seconds (a product, its outline and labels have it; a blurred or plain backdrop has none). Captions go in the
/// plain rows above or below it, never over it.
/// </summary>
public sealed record ProductRows(double Top, double Bottom)
{
    // A product's outline alone is two pixels of detail in a row; one is noise.
    private const int Busy = 2;

    /// <summary>The product's rows from <see cref="Ffmpeg.DetailRowsAsync"/>; null when no row has detail.</summary>
    public static ProductRows? From(IReadOnlyList<int> detail)
    {
        var busy = Enumerable.Range(0, detail.Count).Where(i => detail[i] >= Busy).ToList();
        return busy.Count == 0 ? null : new ProductRows(busy[0] / (double)detail.Count, (busy[^1] + 1) / (double)detail.Count);
    }

    /// <summary>
    /// These rows in pixels of a <paramref name="width"/>×<paramref name="height"/> frame that a
    /// <paramref name="videoWidth"/>×<paramref name="videoHeight"/> video was fitted into, centred (as the formatter reframes).
    /// </summary>
    public (int Top, int Bottom) In(int width, int height, int videoWidth, int videoHeight)
    {
        var fitted = videoWidth <= 0 || videoHeight <= 0 ? height : Math.Min(height, (double)width * videoHeight / videoWidth);
        var offset = (height - fitted) / 2;
        return ((int)(offset + Top * fitted), (int)Math.Ceiling(offset + Bottom * fitted));
    }
}
