namespace EventLoop;

/// <summary>
/// The <see cref="SynchronizationContext"/> that is current while a <see cref="Loop"/> runs, so
/// awaiting an ordinary <see cref="Task"/> or <see cref="ValueTask"/> inside a loop task resumes
/// on the loop thread. <see cref="Post"/> is <see cref="Loop.CallSoonThreadSafe(Action)"/>.
/// </summary>
public sealed class LoopSynchronizationContext : SynchronizationContext
{
    private static readonly Action<object?> InvokePosted = static state =>
    {
        var (callback, callbackState) = ((SendOrPostCallback, object?))state!;
        callback(callbackState);
    };

    internal LoopSynchronizationContext(Loop loop) => Loop = loop;

    /// <summary>The loop this context posts to.</summary>
    public Loop Loop { get; }

    /// <summary>
    /// Queues <paramref name="d"/> on the loop; safe from any thread. After the loop is disposed
    /// the callback is dropped: Post is called from inside the runtime's continuation code
    /// (a plain Task awaited by a loop task that finishes after the loop is gone), where an
    /// exception would be rethrown on the thread pool and end the process.
    /// </summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        Loop.TryPost(InvokePosted, (d, state));
    }

    /// <summary>
    /// Runs <paramref name="d"/> on the loop thread and waits for it. On the loop thread it runs
    /// at once; from another thread it blocks until the (running) loop has run it.
    /// </summary>
    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (Loop.IsOnLoopThread)
        {
            d(state);
            return;
        }
        using var done = new ManualResetEventSlim();
        Exception? error = null;
        Post(_ =>
        {
            try { d(state); }
            catch (Exception e) { error = e; }
            finally { done.Set(); }
        }, null);
        done.Wait();
        if (error is not null) throw new InvalidOperationException("The callback sent to the loop threw.", error);
    }

    /// <summary>The loop has one context; copies are the same object.</summary>
    public override SynchronizationContext CreateCopy() => this;
}
