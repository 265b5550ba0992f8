namespace EventLoop.Net;

/// <summary>
/// One task waiting for something a connection (or process) will signal to every waiter at once:
/// a drain, a close, an exit. Each call gets a waiter of its own, so cancelling one waiting task
/// takes only that waiter out of the list and never affects the others, nor later waits
/// (asyncio makes a fresh future per call for the same reason).
/// </summary>
internal sealed class Waiter<TResult>(List<Waiter<TResult>> waiters, string description) : LoopTaskSource<TResult>
{
    public LoopTask<TResult> Task => new(this, Version);

    /// <summary>Adds a new waiter to <paramref name="waiters"/> and returns its task.</summary>
    public static LoopTask<TResult> Add(Loop loop, List<Waiter<TResult>> waiters, string description)
    {
        var waiter = new Waiter<TResult>(waiters, description) { OwnerLoop = loop };
        waiters.Add(waiter);
        return waiter.Task;
    }

    /// <summary>Completes every waiter in <paramref name="waiters"/> with <paramref name="result"/> (or fails them with <paramref name="error"/>).</summary>
    public static void ReleaseAll(List<Waiter<TResult>> waiters, TResult result, Exception? error = null)
    {
        if (waiters.Count == 0) return;
        var all = waiters.ToArray();
        waiters.Clear();
        foreach (var waiter in all)
        {
            if (error is null) waiter.TrySetResult(result);
            else waiter.TrySetException(error);
        }
    }

    protected override bool RequestCancel()
    {
        waiters.Remove(this);
        return TrySetException(new OperationCanceledException($"The wait ({description}) was cancelled; other waits are not affected."));
    }

    internal override string Describe() => description;
}
