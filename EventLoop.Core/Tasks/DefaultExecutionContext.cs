namespace EventLoop;

/// <summary>
/// The runtime's default <see cref="ExecutionContext"/> (what <see cref="ExecutionContext.Capture"/>
/// returns on a thread with no AsyncLocal values). It is not public, so it is captured once on
/// a fresh thread that inherits nothing.
/// </summary>
internal static class DefaultExecutionContext
{
    public static readonly ExecutionContext? Instance = CaptureOnCleanThread();

    private static ExecutionContext? CaptureOnCleanThread()
    {
        ExecutionContext? captured = null;
        var thread = new Thread(() => captured = ExecutionContext.Capture());
        thread.UnsafeStart(); // UnsafeStart: the new thread does not inherit our context
        thread.Join();
        return captured;
    }
}
