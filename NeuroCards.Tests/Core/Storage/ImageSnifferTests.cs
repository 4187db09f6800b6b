using NeuroCards.Core.Storage;

namespace NeuroCards.Tests.Core.Storage;

public sealed class ImageSnifferTests
{
    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0, 0, 0, 0, 0 }, ImageKind.Jpeg)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0 }, ImageKind.Png)]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 1, 2, 3, 4, (byte)'W', (byte)'E', (byte)'B', (byte)'P' }, ImageKind.Webp)]
    public void Images_are_known_by_their_bytes(byte[] header, ImageKind expected) => Assert.Equal(expected, ImageSniffer.Detect(header));

    [Theory]
    [InlineData("GIF89a......")]
    [InlineData("%PDF-1.7....")]
    [InlineData("<svg xmlns=")]
    [InlineData("")]
    public void Anything_else_is_not_an_image(string text) =>
        Assert.Null(ImageSniffer.Detect(System.Text.Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Keys_follow_the_layout_and_refuse_traversal()
    {
        var order = Guid.NewGuid();
        Assert.Equal($"inputs/2026/03/{order}.webp", MediaKeys.Input(order, ImageKind.Webp, new DateTime(2026, 3, 9)));
        Assert.Equal($"outputs/2026/11/{order}.mp4", MediaKeys.Output(order, new DateTime(2026, 11, 24)));
        // A seller's photo is named by its bytes too: the same photo twice is one key, another photo another key.
        var at = new DateTime(2026, 12, 2);
        var photo = MediaKeys.Input(order, ImageKind.Jpeg, [1, 2, 3], at);
        Assert.Matches($@"^inputs/2026/12/{order}-[0-9a-f]{{16}}\.jpg$", photo);
        Assert.Equal(photo, MediaKeys.Input(order, ImageKind.Jpeg, [1, 2, 3], at));
        Assert.NotEqual(photo, MediaKeys.Input(order, ImageKind.Jpeg, [1, 2, 4], at));
        Assert.True(MediaKeys.IsValid(photo));
        Assert.False(MediaKeys.IsValid("inputs/../x"));
        Assert.False(MediaKeys.IsValid("/etc/passwd"));
        Assert.False(MediaKeys.IsValid("inputs\\x"));
        Assert.False(MediaKeys.IsValid("inputs//x"));
    }
}
