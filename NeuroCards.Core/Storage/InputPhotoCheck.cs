namespace NeuroCards.Core.Storage;

/// <summary>
/// Whether the bytes are a photo we can take as an order's input: an image of a sane size that decodes. The problem, when
/// there is one, is a text key (photo.not_image, photo.broken, photo.too_many_pixels).
/// </summary>
public static class InputPhotoCheck
{
    public static async Task<(ImageKind? Kind, string? Problem)> CheckAsync(MemoryStream bytes, CancellationToken cancellationToken)
    {
        var kind = ImageSniffer.Detect(bytes.GetBuffer().AsSpan(0, (int)Math.Min(bytes.Length, ImageSniffer.HeaderLength)));
        if (kind is null) return (null, "photo.not_image");
        // The size the header declares, before anything decodes it: a small file can ask for gigabytes.
        if (ImageDimensions.Read(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), kind.Value) is not var (width, height)) return (kind, "photo.broken");
        if ((long)width * height > ImageDimensions.MaxPixels) return (kind, "photo.too_many_pixels");
        bytes.Position = 0;
        // Only what decoded is taken: a decode that ran out of time is no better than one that failed.
        if (await ImageDecoding.CanDecodeAsync(bytes, cancellationToken) != true) return (kind, "photo.broken");
        bytes.Position = 0;
        return (kind, null);
    }
}
