using NeuroCards.Core.Hosting;

namespace NeuroCards.Core.Storage;

/// <summary>
/// Whether ffmpeg can decode an image: bytes that start like a JPEG but are broken pass the magic-number sniff and
/// would only fail at the provider, minutes later. Checked within a time limit, the bytes piped in (no temp file).
/// </summary>
public static class ImageDecoding
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    /// <returns>true or false; null when it cannot be told (ffmpeg is not installed, or ran out of time).</returns>
    public static async Task<bool?> CanDecodeAsync(Stream image, CancellationToken cancellationToken)
    {
        try
        {
            // -err_detect explode makes any damage a decoding error and -xerror an exit code: the answer is the exit code
            // alone (stderr also carries what libraries say about the machine, e.g. libgcrypt's "insecure memory" in containers).
            var result = await ToolRunner.RunAsync("ffmpeg", ["-hide_banner", "-v", "error", "-xerror", "-err_detect", "explode", "-i", "pipe:0", "-frames:v", "1", "-f", "null", "-"],
                Limit, cancellationToken, input: image);
            return result.Succeeded;
        }
        catch (Exception e) when (e is ToolMissingException or TimeoutException)
        {
            return null;
        }
    }
}
