namespace EventLoop;

/// <summary>
/// Callbacks handed to the loop from other threads (<see cref="Loop.CallSoonThreadSafe"/>).
/// Producers append under a lock; the loop swaps the whole batch out once an iteration, so the
/// lock is held only for an append or a swap.
/// </summary>
internal sealed class ThreadSafeInbox
{
    private readonly object _lock = new();
    private List<ReadyItem> _incoming = new();
    private List<ReadyItem> _draining = new();
    private volatile bool _hasItems;

    public bool HasItems => _hasItems;

    public void Add(in ReadyItem item)
    {
        lock (_lock)
        {
            _incoming.Add(item);
            _hasItems = true;
        }
    }

    /// <summary>Moves everything queued so far into <paramref name="ready"/>, in arrival order.</summary>
    public void DrainInto(ReadyQueue ready)
    {
        if (!_hasItems) return;
        List<ReadyItem> batch;
        lock (_lock)
        {
            batch = _incoming;
            _incoming = _draining;
            _draining = batch;
            _hasItems = false;
        }
        foreach (var item in batch) ready.Enqueue(item);
        batch.Clear();
    }

    public void Clear()
    {
        lock (_lock)
        {
            _incoming.Clear();
            _hasItems = false;
        }
    }
}
