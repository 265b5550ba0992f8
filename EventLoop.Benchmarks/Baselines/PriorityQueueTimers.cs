namespace EventLoop.Benchmarks.Baselines;

/// <summary>
/// The timer baseline: what one would write without the loop — the BCL's
/// <see cref="PriorityQueue{TElement, TPriority}"/> keyed by (due, sequence) so equal deadlines
/// stay FIFO, a manual clock (a long), lazy cancellation (mark, skip when popped), and due
/// callbacks handed to the single-threaded pump, as the loop hands them to its ready queue.
/// </summary>
/// <remarks>
/// No System.Threading.Timer: that fires on the thread pool in real time, which is not the same
/// work. Unlike the loop's heap there is no compaction: cancelled entries are dropped only when
/// they reach the top, the usual lazy-deletion trade-off.
/// </remarks>
internal sealed class PriorityQueueTimers(SingleThreadSynchronizationContext pump)
{
    private static readonly SendOrPostCallback Fire = static state => ((Timer)state!).Callback?.Invoke();

    private readonly PriorityQueue<Timer, (long Due, long Sequence)> _queue = new();
    private long _nextSequence;

    public long Now { get; private set; }

    public Timer CallLater(long delay, Action callback)
    {
        var timer = new Timer(callback);
        _queue.Enqueue(timer, (Now + delay, _nextSequence++));
        return timer;
    }

    /// <summary>Auto-advance, as ManualClock does: jump to the earliest live timer, post every due one.</summary>
    /// <returns>False when no live timer is left.</returns>
    public bool AdvanceToNextAndPostDue()
    {
        DropCancelledAtTop();
        if (!_queue.TryPeek(out _, out var top)) return false;
        if (top.Due > Now) Now = top.Due;
        while (_queue.TryPeek(out var timer, out var key) && key.Due <= Now)
        {
            _queue.Dequeue();
            if (!timer.Cancelled) pump.Post(Fire, timer);
        }
        return true;
    }

    private void DropCancelledAtTop()
    {
        while (_queue.TryPeek(out var timer, out _) && timer.Cancelled) _queue.Dequeue();
    }

    internal sealed class Timer(Action callback)
    {
        public Action? Callback { get; private set; } = callback;

        public bool Cancelled { get; private set; }

        public void Cancel()
        {
            Cancelled = true;
            Callback = null;
        }
    }
}
