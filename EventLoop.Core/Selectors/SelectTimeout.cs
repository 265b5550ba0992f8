namespace EventLoop;

/// <summary>Converts a wait into the microseconds <c>Socket.Select</c> takes.</summary>
internal static class SelectTimeout
{
    /// <summary>
    /// The largest wait Socket.Select accepts is int.MaxValue microseconds (about 35.8 minutes);
    /// kept to a whole millisecond because that is what poll() is given.
    /// </summary>
    public const int MaxMicroseconds = int.MaxValue / 1000 * 1000;

    /// <summary>
    /// Socket.Select truncates microseconds to whole milliseconds, so 999 µs would become a 0 ms
    /// busy poll and a timer would be checked again and again before it is due. Rounding up
    /// to the next millisecond means the loop never spins and a timer never fires early.
    /// Returns -1 (wait forever) for <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public static int ToMicroseconds(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return -1;
        if (timeout <= TimeSpan.Zero) return 0;
        long wholeMilliseconds = (timeout.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        return wholeMilliseconds >= MaxMicroseconds / 1000 ? MaxMicroseconds : (int)(wholeMilliseconds * 1000);
    }
}
