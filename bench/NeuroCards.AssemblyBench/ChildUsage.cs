using System.Runtime.InteropServices;

namespace NeuroCards.AssemblyBench;

/// <summary>What this process's finished children (ffmpeg, espeak-ng) used: CPU seconds and the largest resident size (getrusage).</summary>
internal static partial class ChildUsage
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicros, SystemSeconds, SystemMicros, MaxRssKb;
        public Rest Others;
    }

    // The 13 counters after ru_maxrss, which this does not read.
    [System.Runtime.CompilerServices.InlineArray(13)]
    private struct Rest
    {
        private long _counter;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out Rusage usage);

    /// <summary>CPU seconds of all children waited for so far, and the largest of them in MB.</summary>
    public static (double CpuSeconds, double MaxRssMb) Now()
    {
        if (GetRusage(-1 /* RUSAGE_CHILDREN */, out var u) != 0) throw new InvalidOperationException("getrusage failed");
        return (u.UserSeconds + u.UserMicros / 1e6 + u.SystemSeconds + u.SystemMicros / 1e6, u.MaxRssKb / 1024.0);
    }
}
