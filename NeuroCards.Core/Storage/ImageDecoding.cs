using NeuroCards.Core.Hosting;

namespace NeuroCards.Core.Storage;

/// <summary>
/// Whether ffmpeg can decode an image: bytes that start like a JPEG but are broken pass the magic-number sniff and
/// would only fail at the provider, minutes later. Checked within a time limit, the bytes piped in (no temp file).
/// </summary>
public static class ImageDecoding
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    // libgcrypt (through Debian's ffmpeg's libssh) writes this where it may not lock memory, as in containers: it says
    // nothing about the image. Any other line ffmpeg writes at -v error is a decoding error.
    private const string EnvironmentWarning = "Warning: using insecure memory!";

    /// <returns>true or false; null when it cannot be told (ffmpeg is not installed, or ran out of time).</returns>
    public static async Task<bool?> CanDecodeAsync(Stream image, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ToolRunner.RunAsync("ffmpeg", ["-hide_banner", "-v", "error", "-xerror", "-i", "pipe:0", "-frames:v", "1", "-f", "null", "-"],
                Limit, cancellationToken, input: image);
            return result.Succeeded && !result.Error.Split('\n').Any(line => line.Length > 0 && !line.StartsWith(EnvironmentWarning, StringComparison.Ordinal));
        }
        catch (Exception e) when (e is ToolMissingException or TimeoutException)
        {
            return null;
        }
    }
}
