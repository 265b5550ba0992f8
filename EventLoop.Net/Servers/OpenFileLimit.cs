using System.Runtime.InteropServices;

namespace EventLoop.Net;

/// <summary>
/// The process's limit on open descriptors (RLIMIT_NOFILE): every connection holds one, and so
/// does the runtime for each assembly it has loaded. Linux only; elsewhere the properties are
/// null and <see cref="RaiseToHardLimit"/> changes nothing.
/// </summary>
/// <remarks>
/// The soft limit is often 1,024 while the hard limit is far higher; a process may raise its own
/// soft limit up to the hard one, and Go does so for every program at start. The library does not
/// do it behind your back: the limit is the whole process's (every library in it, every child it
/// starts inherits it), so the application decides — the samples call <see cref="RaiseToHardLimit"/>
/// first thing in <c>Main</c>.
/// </remarks>
public static class OpenFileLimit
{
    private const int RlimitNofile = 7; // Linux, on every architecture .NET runs on

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Soft, Hard;
    }

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetRLimit(int resource, out RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRLimit(int resource, in RLimit limit);

    /// <summary>The soft limit in force: opening more descriptors than this fails with "too many open files".</summary>
    public static long? Current => TryGet(out var limit) ? Clamp(limit.Soft) : null;

    /// <summary>The hard limit: how far the process may raise <see cref="Current"/> by itself.</summary>
    public static long? Maximum => TryGet(out var limit) ? Clamp(limit.Hard) : null;

    /// <summary>Raises the soft limit to the hard limit where the system allows it; returns the soft limit now in force.</summary>
    public static long? RaiseToHardLimit()
    {
        if (!TryGet(out var limit)) return null;
        if (limit.Soft >= limit.Hard) return Clamp(limit.Soft);
        var raised = limit with { Soft = limit.Hard };
        return SetRLimit(RlimitNofile, raised) == 0 ? Clamp(raised.Soft) : Clamp(limit.Soft);
    }

    private static bool TryGet(out RLimit limit)
    {
        limit = default;
        return OperatingSystem.IsLinux() && GetRLimit(RlimitNofile, out limit) == 0;
    }

    // RLIM_INFINITY is all ones.
    private static long Clamp(ulong value) => (long)Math.Min(value, long.MaxValue);
}
