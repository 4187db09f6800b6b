using NeuroCards.Core.Storage;

namespace NeuroCards.Tests.Core.Storage;

/// <summary>The size an image declares, read from its header the way the photo step reads it before decoding.</summary>
public sealed class ImageDimensionsTests
{
    [Theory]
    [InlineData("dims.jpg", ImageKind.Jpeg, "")]
    [InlineData("dims.png", ImageKind.Png, "")]
    [InlineData("dims-lossy.webp", ImageKind.Webp, "-c:v libwebp -lossless 0")]
    [InlineData("dims-lossless.webp", ImageKind.Webp, "-c:v libwebp -lossless 1")]
    public async Task The_declared_size_of_a_real_image_is_read(string name, ImageKind kind, string codec)
    {
        var path = await TestMedia.MakeAsync(name, $"-f lavfi -i testsrc2=size=642x418 -frames:v 1 {codec}");
        var bytes = await File.ReadAllBytesAsync(path);

        Assert.Equal(kind, ImageSniffer.Detect(bytes));
        Assert.Equal((642, 418), ImageDimensions.Read(bytes, kind));
    }

    [Fact]
    public void A_poster_declared_in_a_few_bytes_reads_as_its_declared_size_and_a_cut_header_as_unknown()
    {
        var poster = ImageHeaders.Png(16_000, 16_000);

        Assert.True(poster.Length < 50_000);
        Assert.Equal((16_000, 16_000), ImageDimensions.Read(poster, ImageKind.Png));
        Assert.Null(ImageDimensions.Read(poster.AsSpan(0, 20), ImageKind.Png));
        Assert.Null(ImageDimensions.Read([0xFF, 0xD8, 0xFF, 0xE0, 0, 16], ImageKind.Jpeg));
    }
}
