namespace EventLoop.Benchmarks;

/// <summary>
/// The timers both sides of a timer benchmark schedule: N delays drawn (with a fixed seed) from
/// 16 distinct values of 1..16 ms, in random order so the heaps really sift. Sixteen deadlines
/// keep the number of loop iterations (each of which polls the selector once, as a loop does
/// when it would otherwise sleep) small next to N, so the numbers are about the timer queue.
/// </summary>
internal static class TimerWorkload
{
    public const int N = 1024;

    public static readonly TimeSpan[] Delays = MakeDelays();

    /// <summary>The same delays in ticks, the unit of ManualClock and of the baseline's clock.</summary>
    public static readonly long[] DelayTicks = Array.ConvertAll(Delays, d => d.Ticks);

    private static TimeSpan[] MakeDelays()
    {
        var random = new Random(42);
        var delays = new TimeSpan[N];
        for (int i = 0; i < N; i++) delays[i] = TimeSpan.FromMilliseconds(random.Next(1, 17));
        return delays;
    }
}
