namespace EventLoop;

/// <summary>
/// A result that some callback will provide later (asyncio's Future), awaited through
/// <see cref="Task"/>. Create one with <see cref="Loop.CreateFuture{TResult}"/>. Loop-thread only:
/// from another thread, complete it inside <see cref="Loop.CallSoonThreadSafe(Action)"/>.
/// </summary>
/// <typeparam name="TResult">The result type.</typeparam>
public sealed class LoopFuture<TResult>
{
    private readonly Loop _loop;
    private readonly Source _source;

    internal LoopFuture(Loop loop)
    {
        _loop = loop;
        _source = new Source { OwnerLoop = loop };
    }

    /// <summary>The task that completes when the future does; await it as often as you like.</summary>
    public LoopTask<TResult> Task => new(_source, _source.Version);

    /// <summary>True once a result, an exception or a cancellation was set.</summary>
    public bool IsCompleted => _source.IsCompleted(_source.Version);

    /// <summary>Completes the future with a result.</summary>
    /// <exception cref="InvalidOperationException">The future was already completed.</exception>
    public void SetResult(TResult result)
    {
        if (!TrySetResult(result)) throw AlreadyCompleted();
    }

    /// <summary>Completes the future with an exception.</summary>
    /// <exception cref="InvalidOperationException">The future was already completed.</exception>
    public void SetException(Exception exception)
    {
        if (!TrySetException(exception)) throw AlreadyCompleted();
    }

    /// <summary>Completes the future with a result unless it is already completed.</summary>
    /// <returns>False if it was already completed.</returns>
    public bool TrySetResult(TResult result)
    {
        _loop.CheckThread();
        return _source.TrySetResult(result);
    }

    /// <summary>Completes the future with an exception unless it is already completed.</summary>
    /// <returns>False if it was already completed.</returns>
    public bool TrySetException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _loop.CheckThread();
        return _source.TrySetException(exception);
    }

    /// <summary>Cancels the future: awaiters get an <see cref="OperationCanceledException"/>.</summary>
    /// <returns>False if it was already completed.</returns>
    public bool Cancel()
    {
        _loop.CheckThread();
        return _source.Cancel(_source.Version);
    }

    private static InvalidOperationException AlreadyCompleted() =>
        new("The future is already completed; use the TrySet methods when completing it may race.");

    private sealed class Source : LoopTaskSource<TResult>
    {
        protected override bool RequestCancel() => TrySetException(new OperationCanceledException("The future was cancelled."));

        internal override string Describe() => "LoopFuture<" + typeof(TResult).Name + ">";
    }
}
