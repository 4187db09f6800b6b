using System.Buffers.Binary;

namespace NeuroCards.Core.Storage;

/// <summary>
/// An image's width and height as its header declares them, read before anything decodes it: a small file can declare
/// a picture that needs gigabytes to decode.
/// </summary>
public static class ImageDimensions
{
    /// <summary>The largest picture we decode: 40 megapixels (a 7 × 5.7k photo; phones take 12–50).</summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>Null when the header does not say (truncated or broken).</summary>
    public static (int Width, int Height)? Read(ReadOnlySpan<byte> file, ImageKind kind) => kind switch
    {
        ImageKind.Png => file.Length >= 24 && file[12..16].SequenceEqual("IHDR"u8)
            ? Checked(BinaryPrimitives.ReadInt32BigEndian(file[16..]), BinaryPrimitives.ReadInt32BigEndian(file[20..]))
            : null,
        ImageKind.Webp => Webp(file),
        ImageKind.Jpeg => Jpeg(file),
        _ => null,
    };

    private static (int, int)? Webp(ReadOnlySpan<byte> file)
    {
        if (file.Length < 30) return null;
        var chunk = file[12..16];
        if (chunk.SequenceEqual("VP8X"u8)) return Checked(1 + (file[24] | file[25] << 8 | file[26] << 16), 1 + (file[27] | file[28] << 8 | file[29] << 16));
        if (chunk.SequenceEqual("VP8 "u8)) return Checked(BinaryPrimitives.ReadUInt16LittleEndian(file[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(file[28..]) & 0x3FFF);
        if (chunk.SequenceEqual("VP8L"u8) && file[20] == 0x2F)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(file[21..]);
            return Checked((int)(bits & 0x3FFF) + 1, (int)(bits >> 14 & 0x3FFF) + 1);
        }
        return null;
    }

    private static (int, int)? Jpeg(ReadOnlySpan<byte> file)
    {
        // Segments after SOI until a start of frame (SOF0–SOF15 but DHT C4, JPG C8, DAC CC), which holds the size.
        var at = 2;
        while (at + 9 < file.Length)
        {
            if (file[at] != 0xFF) return null;
            var marker = file[at + 1];
            if (marker == 0xFF)
            {
                at++;
                continue;
            }
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
                return Checked(BinaryPrimitives.ReadUInt16BigEndian(file[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(file[(at + 5)..]));
            if (marker is 0xD8 or 0x01 or >= 0xD0 and <= 0xD7)
            {
                at += 2;
                continue;
            }
            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(file[(at + 2)..]);
        }
        return null;
    }

    private static (int, int)? Checked(int width, int height) => width > 0 && height > 0 ? (width, height) : null;
}
