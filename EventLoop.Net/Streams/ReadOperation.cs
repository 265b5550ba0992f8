using System.Threading.Tasks.Sources;

namespace EventLoop.Net;

/// <summary>
/// The pending read of a <see cref="Connection"/> for one result type, reused for every read, so
/// a read — one that waits included — allocates nothing but its result. Seen as a
/// <see cref="LoopTask{TResult}"/> (valid until the next read on the connection starts) or as a
/// <see cref="ValueTask{TResult}"/> (await it once: a second await throws, like any pooled
/// ValueTask); cancelling the awaiting <see cref="LoopTask"/> reaches it either way.
/// </summary>
internal sealed class ReadOperation<TResult>(Loop loop, Action onCancelled, string description)
    : LoopTaskSource<TResult>, IValueTaskSource<TResult>, IValueTaskSource
{
    public bool IsArmed { get; private set; }

    public LoopTask<TResult> ArmTask()
    {
        Arm();
        return new LoopTask<TResult>(this, Version);
    }

    public ValueTask<TResult> ArmValueTask()
    {
        Arm();
        return new ValueTask<TResult>(this, (short)Version);
    }

    public ValueTask ArmVoidValueTask()
    {
        Arm();
        return new ValueTask(this, (short)Version);
    }

    public void Complete(TResult result)
    {
        IsArmed = false;
        TrySetResult(result);
    }

    public void Fail(Exception error)
    {
        IsArmed = false;
        TrySetException(error);
    }

    private void Arm()
    {
        if (IsCompleted(Version)) ResetForReuse();
        OwnerLoop = loop;
        IsArmed = true;
    }

    protected override bool RequestCancel()
    {
        if (!IsArmed) return false;
        IsArmed = false;
        onCancelled();
        return TrySetException(new OperationCanceledException("The read was cancelled; no data was lost (unread bytes stay buffered)."));
    }

    internal override string Describe() => description;

    ValueTaskSourceStatus IValueTaskSource<TResult>.GetStatus(short token) => ValueTaskStatus(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => ValueTaskStatus(token);

    void IValueTaskSource<TResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        OnValueTaskCompleted(continuation, state, token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        OnValueTaskCompleted(continuation, state, token);

    TResult IValueTaskSource<TResult>.GetResult(short token) => TakeValueTaskResult(token);

    void IValueTaskSource.GetResult(short token) => TakeValueTaskResult(token);

    private ValueTaskSourceStatus ValueTaskStatus(short token)
    {
        CheckToken(token);
        return GetStatus(Version) switch
        {
            LoopTaskStatus.Pending => ValueTaskSourceStatus.Pending,
            LoopTaskStatus.RanToCompletion => ValueTaskSourceStatus.Succeeded,
            LoopTaskStatus.Canceled => ValueTaskSourceStatus.Canceled,
            _ => ValueTaskSourceStatus.Faulted,
        };
    }

    private void OnValueTaskCompleted(Action<object?> continuation, object? state, short token)
    {
        CheckToken(token);
        // The awaiter hands over the async method's resume delegate as state: tell that method
        // what it waits on, so LoopTask.Cancel can reach this read. It always resumes on the
        // loop (the flags' context choices do not apply: there is only the loop).
        if (state is Action resume) AsyncMethodContext.TrackAwait(resume, this, Version);
        OnCompleted(continuation, state, Version);
    }

    /// <summary>The outcome of a ValueTask await; the operation is reset at once, so a second await of the same ValueTask throws.</summary>
    private TResult TakeValueTaskResult(short token)
    {
        CheckToken(token);
        try { return GetResult(Version); }
        finally { ResetForReuse(); }
    }

    private void CheckToken(short token)
    {
        if (token != (short)Version)
            throw new InvalidOperationException("This read's ValueTask was already awaited; a ValueTask may be awaited once.");
    }
}
