namespace EventLoop;

/// <summary>
/// A callback scheduled on a <see cref="Loop"/> for a moment in loop time
/// (<see cref="Loop.CallLater(TimeSpan, Action)"/>, <see cref="Loop.CallAt(long, Action)"/>).
/// </summary>
/// <remarks>Loop-thread only, like the loop methods that create it.</remarks>
public sealed class TimerHandle
{
    private readonly Loop _loop;
    internal Action<object?>? Callback;
    internal object? State;

    /// <summary>Position in the timer heap, or -1 when not in it (fired, cancelled and dropped, or never added).</summary>
    internal int HeapIndex = -1;

    /// <summary>Tie-breaker: timers with equal deadlines fire in the order they were scheduled.</summary>
    internal long Sequence;

    internal TimerHandle(Loop loop, long dueTimestamp, Action<object?> callback, object? state)
    {
        _loop = loop;
        DueTimestamp = dueTimestamp;
        Callback = callback;
        State = state;
    }

    /// <summary>The loop timestamp (see <see cref="Loop.Now"/>) at which the callback becomes due.</summary>
    public long DueTimestamp { get; internal set; }

    /// <summary>True once <see cref="Cancel"/> was called before the callback ran.</summary>
    public bool IsCancelled { get; private set; }

    /// <summary>
    /// Cancels the callback if it has not run yet; it will not run, even if it is already
    /// queued for the current iteration. Calling it again, or after the callback ran, does nothing.
    /// </summary>
    public void Cancel()
    {
        if (IsCancelled || HasFired) return;
        _loop.CheckThread();
        IsCancelled = true;
        Callback = null;
        State = null;
        _loop.Timers.OnCancelled(this);
    }

    /// <summary>True once the callback has run (or started running).</summary>
    public bool HasFired { get; private set; }

    internal void Fire()
    {
        if (IsCancelled || HasFired || Callback is null) return;
        // The references stay until the handle is dropped, so an exception report can still
        // name the callback after it threw.
        HasFired = true;
        Callback(State);
    }

    internal Delegate? DescribeTarget() => Callback is { } cb ? Loop.Unwrap(cb, State) : null;
}
