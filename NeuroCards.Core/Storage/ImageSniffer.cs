namespace NeuroCards.Core.Storage;

/// <summary>What a file is, from its first bytes: the file name and the declared type are not trusted.</summary>
public static class ImageSniffer
{
    public const int HeaderLength = 16;

    public static ImageKind? Detect(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 3 && header[0] == 0xFF && header[1] == 0xD8 && header[2] == 0xFF) return ImageKind.Jpeg;
        if (header.Length >= 8 && header[..8].SequenceEqual(PngSignature)) return ImageKind.Png;
        if (header.Length >= 12 && header[..4].SequenceEqual("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8)) return ImageKind.Webp;
        return null;
    }

    public static string Extension(ImageKind kind) => kind switch
    {
        ImageKind.Jpeg => "jpg",
        ImageKind.Png => "png",
        ImageKind.Webp => "webp",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string ContentType(ImageKind kind) => kind switch
    {
        ImageKind.Jpeg => "image/jpeg",
        ImageKind.Png => "image/png",
        ImageKind.Webp => "image/webp",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Content type of any stored media (images and MP4 video), or octet-stream.</summary>
    public static string SniffContentType(ReadOnlySpan<byte> header)
    {
        if (Detect(header) is { } image) return ContentType(image);
        if (header.Length >= 12 && header[4..8].SequenceEqual("ftyp"u8)) return "video/mp4";
        return "application/octet-stream";
    }

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
}
