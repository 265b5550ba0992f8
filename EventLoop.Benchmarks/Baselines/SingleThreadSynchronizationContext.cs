namespace EventLoop.Benchmarks.Baselines;

/// <summary>
/// The baseline's "event loop": a single-threaded SynchronizationContext pump in the style of
/// Nito.AsyncEx's AsyncContext. Post queues (callback, state); <see cref="Run"/> drains the
/// queue on the calling thread until the main task finishes.
/// </summary>
/// <remarks>
/// Deliberately not slow, so the comparison is honest: like <see cref="Loop"/>, a Post from the
/// pump's own thread goes into an unlocked queue of structs (no Task, no tuple object per Post —
/// Nito allocates a Task per continuation), and only a Post from another thread takes the lock.
/// </remarks>
internal sealed class SingleThreadSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _local = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _remote = new();
    private readonly object _gate = new();
    private volatile bool _hasRemote;
    private int _ownerThreadId = Environment.CurrentManagedThreadId;

    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (Environment.CurrentManagedThreadId == _ownerThreadId)
        {
            _local.Enqueue((d, state));
            return;
        }
        lock (_gate)
        {
            _remote.Enqueue((d, state));
            _hasRemote = true;
            Monitor.Pulse(_gate);
        }
    }

    public override void Send(SendOrPostCallback d, object? state)
    {
        // Only the pump thread may run work inline; a blocking cross-thread Send is not needed here.
        if (Environment.CurrentManagedThreadId != _ownerThreadId)
            throw new NotSupportedException("Send from another thread is not supported by this pump.");
        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="start"/> with this context current and pumps until its task finishes.</summary>
    public void Run(Func<Task> start)
    {
        var previous = Current;
        _ownerThreadId = Environment.CurrentManagedThreadId;
        SetSynchronizationContext(this);
        try
        {
            var task = start();
            while (!task.IsCompleted)
            {
                if (!TryRunOne()) WaitForRemotePost();
            }
            task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    /// <summary>Runs everything queued now and everything that queues in turn, until the queue is empty.</summary>
    public void RunUntilEmpty()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            while (TryRunOne())
            {
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private bool TryRunOne()
    {
        if (_hasRemote) MoveRemoteToLocal();
        if (!_local.TryDequeue(out var item)) return false;
        item.Callback(item.State);
        return true;
    }

    private void MoveRemoteToLocal()
    {
        lock (_gate)
        {
            while (_remote.TryDequeue(out var item)) _local.Enqueue(item);
            _hasRemote = false;
        }
    }

    private void WaitForRemotePost()
    {
        lock (_gate)
        {
            while (!_hasRemote) Monitor.Wait(_gate);
        }
    }
}
