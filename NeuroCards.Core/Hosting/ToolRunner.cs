using System.ComponentModel;
using System.Diagnostics;

namespace NeuroCards.Core.Hosting;

/// <summary>
/// The one way to run a command-line tool to completion (ffmpeg, ffprobe; in tests also shellcheck, openssl, the deploy
/// scripts): arguments as a list, never a shell string; bytes piped in when given; output and errors captured; a time
/// limit, past which — or when the caller gives up — the whole process tree is stopped.
/// </summary>
public static class ToolRunner
{
    /// <exception cref="ToolMissingException">The tool is not installed.</exception>
    /// <exception cref="TimeoutException">It ran past <paramref name="limit"/> and was stopped.</exception>
    public static async Task<ToolResult> RunAsync(string tool, IEnumerable<string> args, TimeSpan limit, CancellationToken cancellationToken,
        Stream? input = null, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) psi.Environment[key] = value;
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new Win32Exception();
        }
        catch (Win32Exception e)
        {
            throw new ToolMissingException(tool, e);
        }
        using (process)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(limit);
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                if (input is not null) await PipeAsync(input, process, timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested) throw;
                throw new TimeoutException($"{tool} ran longer than {limit.TotalSeconds:0} s and was stopped");
            }
            return new ToolResult(process.ExitCode, await output, await errors);
        }
    }

    private static async Task PipeAsync(Stream input, Process process, CancellationToken cancellationToken)
    {
        try
        {
            await input.CopyToAsync(process.StandardInput.BaseStream, cancellationToken);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool stopped reading: it has seen enough (or given up); its exit code says which.
        }
    }
}
