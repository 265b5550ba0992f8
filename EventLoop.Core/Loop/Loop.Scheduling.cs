namespace EventLoop;

public sealed partial class Loop
{
    /// <summary>
    /// Queues <paramref name="callback"/> to run in a later step of the loop: callbacks run in
    /// the order they were queued, each once. One queued by a running callback waits for the
    /// next iteration. Loop thread only.
    /// </summary>
    public void CallSoon(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        CheckThread();
        _ready.Enqueue(new ReadyItem(InvokeAction, callback));
    }

    /// <summary>The allocation-free form of <see cref="CallSoon(Action)"/>: a static callback and its state.</summary>
    internal void CallSoon(Action<object?> callback, object? state)
    {
        CheckThread();
        _ready.Enqueue(new ReadyItem(callback, state));
    }

    /// <summary>
    /// Queues <paramref name="callback"/> from any thread, and wakes the loop if it is blocked
    /// waiting for sockets. The only way (with <see cref="Stop"/>) to talk to a loop from
    /// another thread.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The loop was disposed.</exception>
    public void CallSoonThreadSafe(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (!TryPost(InvokeAction, callback)) throw new ObjectDisposedException(nameof(Loop));
    }

    /// <summary>
    /// Schedules <paramref name="callback"/> to run once <paramref name="delay"/> of loop time has
    /// passed (a delay of zero or less: at the next iteration). Timers with the same due time run
    /// in the order they were scheduled. Loop thread only.
    /// </summary>
    public TimerHandle CallLater(TimeSpan delay, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return CallLater(delay, InvokeAction, callback);
    }

    /// <summary>
    /// Schedules <paramref name="callback"/> for the loop timestamp <paramref name="dueTimestamp"/>
    /// (compare <see cref="Now"/>). Loop thread only.
    /// </summary>
    public TimerHandle CallAt(long dueTimestamp, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return CallAt(dueTimestamp, InvokeAction, callback);
    }

    internal TimerHandle CallLater(TimeSpan delay, Action<object?> callback, object? state)
    {
        long now = Now;
        long due = delay <= TimeSpan.Zero ? now : SaturatingAdd(now, ToTimestampDelta(delay));
        return CallAt(due, callback, state);
    }

    internal TimerHandle CallAt(long dueTimestamp, Action<object?> callback, object? state)
    {
        CheckThread();
        var timer = new TimerHandle(this, dueTimestamp, callback, state);
        Timers.Push(timer);
        return timer;
    }

    /// <summary>Loop-clock units for a duration, rounded up so a timer never fires early.</summary>
    internal long ToTimestampDelta(TimeSpan duration)
    {
        long frequency = _clock.TimestampFrequency;
        if (frequency == TimeSpan.TicksPerSecond) return duration.Ticks;
        Int128 units = ((Int128)duration.Ticks * frequency + (TimeSpan.TicksPerSecond - 1)) / TimeSpan.TicksPerSecond;
        return units > long.MaxValue ? long.MaxValue : (long)units;
    }

    /// <summary>A duration for loop-clock units, rounded up so a wait never ends before its timer is due.</summary>
    internal TimeSpan ToTimeSpan(long timestampDelta)
    {
        long frequency = _clock.TimestampFrequency;
        if (frequency == TimeSpan.TicksPerSecond) return TimeSpan.FromTicks(timestampDelta);
        Int128 ticks = ((Int128)timestampDelta * TimeSpan.TicksPerSecond + (frequency - 1)) / frequency;
        return ticks > TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }

    private static long SaturatingAdd(long a, long b) => b > long.MaxValue - a ? long.MaxValue : a + b;
}
