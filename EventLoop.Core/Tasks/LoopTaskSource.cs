using System.Runtime.ExceptionServices;

namespace EventLoop;

/// <summary>
/// What a <see cref="LoopTask"/> points at: completion state, the continuations waiting for it,
/// and cancellation. Loop-thread only.
/// </summary>
/// <remarks>
/// <para><b>Versions and pooling.</b> Async-method boxes are reused (see
/// <see cref="StateMachineBox{TStateMachine, TResult}"/>): when a successful run's result has been
/// taken, the box is reset and <see cref="Version"/> goes up. A <see cref="LoopTask"/> holds the
/// version it was made for, so a task whose version no longer matches refers to a run that
/// <i>completed successfully</i> — only successful runs are ever recycled. That is why awaiting a
/// task twice, or reading its status after the await, keeps working: there is no pooled object
/// that throws the second time (the trap UniTask users keep falling into).</para>
/// <para><b>Continuations never run inline.</b> Completing a source queues each continuation on
/// the loop of the code that awaited it, so a chain of completions unwinds one loop callback at
/// a time instead of diving down the stack.</para>
/// </remarks>
internal abstract class LoopTaskSource
{
    private static readonly Action<object?> InvokeAction = static state => ((Action)state!).Invoke();

    private object? _error; // ExceptionDispatchInfo (faulted) or OperationCanceledException (canceled)
    private Continuation _first;
    private List<Continuation>? _more;

    /// <summary>Bumped each time a pooled source is reused.</summary>
    internal int Version;

    /// <summary>The loop that last ran this source's code; continuations go there when their awaiter had no loop.</summary>
    internal Loop? OwnerLoop;

    /// <summary>Set while <see cref="Loop.Spawn(Func{LoopTask})"/> owns this task, so the loop hears when it ends.</summary>
    internal Loop? SpawnedBy;

    private LoopTaskStatus _status;

    /// <summary>True once someone took the outcome of a failed run (awaited it, read its exception).</summary>
    internal bool Observed;

    // Inline: run at completion instead of queued; only for hand-offs that run no user code (see OnCompletedInline).
    private readonly record struct Continuation(Action<object?>? Callback, object? State, Loop? Loop, bool Inline = false);

    public LoopTaskStatus GetStatus(int version) => version != Version ? LoopTaskStatus.RanToCompletion : _status;

    public bool IsCompleted(int version) => version != Version || _status != LoopTaskStatus.Pending;

    public Exception? GetException(int version)
    {
        if (version != Version || _error is null) return null;
        Observed = true;
        return _error is ExceptionDispatchInfo edi ? edi.SourceException : (Exception)_error;
    }

    /// <summary>Registers <paramref name="callback"/> to be queued on a loop when this source completes.</summary>
    /// <param name="callback">The continuation.</param>
    /// <param name="state">Its argument.</param>
    /// <param name="version">The version of the task being awaited.</param>
    /// <param name="loop">Where to queue it; default: the loop running on the calling thread.</param>
    public void OnCompleted(Action<object?> callback, object? state, int version, Loop? loop = null)
    {
        loop ??= Loop.Current;
        if (IsCompleted(version))
        {
            Schedule(callback, state, loop ?? OwnerLoop);
            return;
        }
        if (_first.Callback is null) _first = new Continuation(callback, state, loop);
        else (_more ??= new List<Continuation>(2)).Add(new Continuation(callback, state, loop));
    }

    /// <summary>
    /// Registers a callback that runs at the moment of completion, on the completing thread. Only
    /// for hand-offs that cannot run user code inline, such as completing a
    /// <see cref="TaskCompletionSource"/> created with RunContinuationsAsynchronously: queueing
    /// them on the loop would lose them when the loop stops right after the completion.
    /// </summary>
    public void OnCompletedInline(Action<object?> callback, object? state, int version)
    {
        if (IsCompleted(version))
        {
            callback(state);
            return;
        }
        var continuation = new Continuation(callback, state, null, Inline: true);
        if (_first.Callback is null) _first = continuation;
        else (_more ??= new List<Continuation>(2)).Add(continuation);
    }

    /// <summary>
    /// Takes back a registration of <paramref name="callback"/> with this very <paramref name="state"/>
    /// object, for waits that stop watching a task before it completes (a finished WhenAny).
    /// </summary>
    public void RemoveContinuation(Action<object?> callback, object? state, int version)
    {
        if (IsCompleted(version)) return;
        if (_first.Callback == callback && ReferenceEquals(_first.State, state))
        {
            if (_more is { Count: > 0 } more)
            {
                _first = more[0];
                more.RemoveAt(0);
            }
            else
            {
                _first = default;
            }
            return;
        }
        if (_more is null) return;
        int index = _more.FindIndex(c => c.Callback == callback && ReferenceEquals(c.State, state));
        if (index >= 0) _more.RemoveAt(index);
    }

    /// <summary>
    /// What every awaiter of ours does when the awaiting method suspends: tell the method what
    /// it is waiting on (so <see cref="LoopTask.Cancel"/> reaches it), then queue its resumption.
    /// </summary>
    public void OnAwaited(Action continuation, int version)
    {
        AsyncMethodContext.TrackAwait(continuation, this, version);
        OnCompleted(InvokeAction, continuation, version);
    }

    /// <summary>Throws what the run ended with, or returns if it succeeded; a success also releases the source for reuse.</summary>
    public void ThrowIfNotSuccessful(int version)
    {
        if (version != Version) return;
        if (_error is not null) Observed = true;
        switch (_status)
        {
            case LoopTaskStatus.RanToCompletion:
                return;
            case LoopTaskStatus.Faulted:
                ((ExceptionDispatchInfo)_error!).Throw();
                return;
            case LoopTaskStatus.Canceled:
                throw (OperationCanceledException)_error!;
            default:
                throw new InvalidOperationException("The task has not completed yet; await it instead of reading its result.");
        }
    }

    /// <summary>For <see cref="LoopTask"/> awaits: throws on failure, releases the source on success.</summary>
    public void Consume(int version)
    {
        if (version != Version) return; // an older, successful run
        ThrowIfNotSuccessful(version);
        OnResultConsumed(version);
    }

    /// <summary>Requests cancellation. Returns false when the task already finished (or never can be cancelled).</summary>
    public bool Cancel(int version)
    {
        if (IsCompleted(version)) return false;
        return RequestCancel();
    }

    /// <summary>How this kind of source reacts to <see cref="LoopTask.Cancel"/>.</summary>
    protected abstract bool RequestCancel();

    /// <summary>Called once the result of a successful run has been taken; pooled sources reset themselves here.</summary>
    internal virtual void OnResultConsumed(int version)
    {
    }

    /// <summary>A short name for logs: the async method, or the kind of operation.</summary>
    internal virtual string Describe() => GetType().Name;

    protected bool TrySetSucceeded()
    {
        if (_status != LoopTaskStatus.Pending) return false;
        _status = LoopTaskStatus.RanToCompletion;
        Finish();
        return true;
    }

    protected bool TrySetFailed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (_status != LoopTaskStatus.Pending) return false;
        if (exception is OperationCanceledException canceled)
        {
            _status = LoopTaskStatus.Canceled;
            _error = canceled;
        }
        else
        {
            _status = LoopTaskStatus.Faulted;
            _error = ExceptionDispatchInfo.Capture(exception);
        }
        Finish();
        return true;
    }

    /// <summary>Clears completion state for reuse. Only a pooled source calls this, and only after a success.</summary>
    protected void ResetForReuse()
    {
        Version++;
        _status = LoopTaskStatus.Pending;
        _error = null;
        Observed = false;
        _first = default;
        _more = null;
        OwnerLoop = null;
        SpawnedBy = null;
    }

    private void Finish()
    {
        bool awaited = _first.Callback is not null;
        var current = Loop.Current;
        if (awaited)
        {
            var first = _first;
            _first = default;
            Dispatch(first, current);
            if (_more is { } more)
            {
                _more = null;
                foreach (var c in more) Dispatch(c, current);
            }
        }
        if (SpawnedBy is { } owner)
        {
            SpawnedBy = null;
            owner.OnSpawnedTaskFinished(this, awaited);
        }
    }

    private void Dispatch(in Continuation continuation, Loop? current)
    {
        if (continuation.Inline) continuation.Callback!(continuation.State);
        else Schedule(continuation.Callback!, continuation.State, continuation.Loop ?? current ?? OwnerLoop);
    }

    /// <summary>The outcome without taking it (no reuse of the source): for hand-offs that may run inside the completion.</summary>
    public void CopyOutcomeTo(int version, TaskCompletionSource completion)
    {
        switch (GetStatus(version))
        {
            case LoopTaskStatus.RanToCompletion: completion.TrySetResult(); break;
            case LoopTaskStatus.Canceled: completion.TrySetCanceled(((OperationCanceledException)GetException(version)!).CancellationToken); break;
            default: completion.TrySetException(GetException(version)!); break;
        }
    }

    /// <summary>Queues a continuation on <paramref name="loop"/>, or on the thread pool when no loop is known.</summary>
    private static void Schedule(Action<object?> callback, object? state, Loop? loop)
    {
        if (loop is null || !loop.TryPost(callback, state))
            ThreadPool.UnsafeQueueUserWorkItem(callback, state, preferLocal: false);
    }
}

/// <summary>A <see cref="LoopTaskSource"/> that carries a result.</summary>
internal abstract class LoopTaskSource<TResult> : LoopTaskSource
{
    private TResult? _result;

    public TResult GetResult(int version)
    {
        if (version != Version)
            throw new InvalidOperationException("This task's result was already taken and its storage reused.");
        ThrowIfNotSuccessful(version);
        var result = _result!;
        OnResultConsumed(version);
        return result;
    }

    public bool TrySetResult(TResult result)
    {
        if (IsCompleted(Version)) return false;
        _result = result;
        return TrySetSucceeded();
    }

    public bool TrySetException(Exception exception) => TrySetFailed(exception);

    /// <summary>The outcome without taking it: see <see cref="LoopTaskSource.CopyOutcomeTo"/>.</summary>
    public void CopyOutcomeTo(int version, TaskCompletionSource<TResult> completion)
    {
        switch (GetStatus(version))
        {
            case LoopTaskStatus.RanToCompletion: completion.TrySetResult(_result!); break;
            case LoopTaskStatus.Canceled: completion.TrySetCanceled(((OperationCanceledException)GetException(version)!).CancellationToken); break;
            default: completion.TrySetException(GetException(version)!); break;
        }
    }

    protected void ClearResult() => _result = default;
}
