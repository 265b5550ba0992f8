using System.Runtime.InteropServices;

namespace EventLoop.Benchmarks.Load;

/// <summary>
/// Raises this process's soft descriptor limit (RLIMIT_NOFILE) towards the hard limit, so
/// <c>--idle 5000</c> works where the soft limit is the common 1024. Linux only; elsewhere (or if
/// the hard limit is too low too) the caller's sockets fail with a clear error instead.
/// </summary>
internal static class FileLimit
{
    private const int RlimitNofile = 7; // Linux, every architecture .NET runs on

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current, Maximum;
    }

    [DllImport("libc", EntryPoint = "getrlimit")]
    private static extern int GetRLimit(int resource, out RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit")]
    private static extern int SetRLimit(int resource, in RLimit limit);

    /// <summary>Makes room for at least <paramref name="descriptors"/> open descriptors if it can; returns the soft limit now in force (or -1 if unknown).</summary>
    public static long Ensure(int descriptors)
    {
        if (!OperatingSystem.IsLinux() || GetRLimit(RlimitNofile, out var limit) != 0) return -1;
        if (limit.Current >= (ulong)descriptors) return (long)Math.Min(limit.Current, long.MaxValue);
        var raised = limit with { Current = Math.Min(limit.Maximum, Math.Max((ulong)descriptors, limit.Current)) };
        return SetRLimit(RlimitNofile, raised) == 0 ? (long)raised.Current : (long)limit.Current;
    }
}
