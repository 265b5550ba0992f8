using System.Threading.Tasks.Sources;

namespace EventLoop.Net;

/// <summary>
/// The one pending <see cref="Connection.ReadAsync"/> of a connection, reused for every read,
/// so a read that has to wait allocates nothing. It is a <see cref="ValueTask{TResult}"/> source
/// (await the result once, as with Stream.ReadAsync) and a loop task source, so cancelling the
/// awaiting <see cref="LoopTask"/> reaches it. Arriving bytes are copied straight into the
/// caller's buffer.
/// </summary>
internal sealed class ReadOperation(Action onCancelled) : LoopTaskSource<int>, IValueTaskSource<int>
{
    private Memory<byte> _destination;

    public bool IsArmed { get; private set; }

    public Memory<byte> Destination => _destination;

    public ValueTask<int> Arm(Memory<byte> destination)
    {
        if (IsCompleted(Version)) ResetForReuse();
        _destination = destination;
        IsArmed = true;
        return new ValueTask<int>(this, (short)Version);
    }

    public void Complete(int count)
    {
        Disarm();
        TrySetResult(count);
    }

    public void Fail(Exception error)
    {
        Disarm();
        TrySetException(error);
    }

    protected override bool RequestCancel()
    {
        if (!IsArmed) return false;
        Disarm();
        onCancelled();
        return TrySetException(new OperationCanceledException("The read was cancelled; no data was lost (unread bytes stay buffered)."));
    }

    private void Disarm()
    {
        IsArmed = false;
        _destination = default;
    }

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token)
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

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        CheckToken(token);
        // The awaiter hands over the async method's resume delegate as state: tell that method
        // what it waits on, so LoopTask.Cancel can reach this read. It is always resumed on the
        // loop (the flags' context choices do not apply: there is only the loop).
        if (state is Action resume) AsyncMethodContext.TrackAwait(resume, this, Version);
        OnCompleted(continuation, state, Version);
    }

    int IValueTaskSource<int>.GetResult(short token)
    {
        CheckToken(token);
        return GetResult(Version);
    }

    private void CheckToken(short token)
    {
        if (token != (short)Version)
            throw new InvalidOperationException("This read's ValueTask was already awaited; a ValueTask may be awaited once.");
    }

    internal override string Describe() => "Connection.ReadAsync";
}
