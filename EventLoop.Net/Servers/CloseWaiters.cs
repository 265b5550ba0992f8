namespace EventLoop.Net;

/// <summary>
/// The tasks waiting for a server to close. Each wait gets a completion of its own (asyncio's
/// <c>wait_closed</c> makes a fresh waiter per call): one shared completion would be cancelled for
/// everybody the first time one waiter gave up. Loop thread only.
/// </summary>
internal sealed class CloseWaiters(Loop loop)
{
    private const int MinPruneCount = 16;

    private readonly List<LoopFuture<bool>> _waiting = new();
    private int _pruneAt = MinPruneCount;

    public LoopTask Add()
    {
        // Waits that timed out stay listed until the server closes; drop them now and then, so a
        // server polled with short timeouts for days holds only the waits still live.
        if (_waiting.Count >= _pruneAt)
        {
            _waiting.RemoveAll(static waiter => waiter.IsCompleted);
            _pruneAt = Math.Max(MinPruneCount, 2 * _waiting.Count);
        }
        var waiter = loop.CreateFuture<bool>();
        _waiting.Add(waiter);
        return waiter.Task;
    }

    public void CompleteAll()
    {
        foreach (var waiter in _waiting) waiter.TrySetResult(true);
        _waiting.Clear();
    }
}
