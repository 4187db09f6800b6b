using System.ComponentModel;
using System.Diagnostics;

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
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-v", "error", "-xerror", "-i", "pipe:0", "-frames:v", "1", "-f", "null", "-" }) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new Win32Exception();
        }
        catch (Win32Exception)
        {
            return null;
        }
        using (process)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(Limit);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            try
            {
                try
                {
                    await image.CopyToAsync(process.StandardInput.BaseStream, timeout.Token);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // ffmpeg stopped reading: it has seen enough (or given up); its exit code says which.
                }
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested) throw;
                return null;
            }
            await Task.WhenAll(errors, output);
            return process.ExitCode == 0 && (await errors).Length == 0;
        }
    }
}
