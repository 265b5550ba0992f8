namespace EventLoop;

/// <summary>
/// Which async method box is running on this thread right now. Awaiters use it to raise a
/// pending cancellation at the await where the method resumes (asyncio delivers a cancel that
/// could not reach the awaited operation the same way, at the next step).
/// </summary>
internal static class AsyncMethodContext
{
    [ThreadStatic] private static IAsyncMethodBox? t_current;

    public static IAsyncMethodBox? Current
    {
        get => t_current;
        set => t_current = value;
    }

    /// <summary>Called from our awaiters' GetResult.</summary>
    public static void ThrowIfCancelPending()
    {
        var box = t_current;
        if (box is not null && box.CancelPending)
        {
            box.CancelPending = false;
            throw new OperationCanceledException("The task was cancelled.");
        }
    }

    /// <summary>Tells the awaiting method (if it is one of ours) what it is now suspended on.</summary>
    public static void TrackAwait(Action continuation, LoopTaskSource source, int version)
    {
        if (continuation.Target is IAsyncMethodBox box) box.SetAwaiting(source, version);
    }
}
