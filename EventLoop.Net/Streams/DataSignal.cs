namespace EventLoop.Net;

/// <summary>
/// "More bytes (or the end) arrived": awaited by the one delimited or exact read in progress,
/// re-armed for each wait, so waiting allocates nothing.
/// </summary>
internal sealed class DataSignal : LoopTaskSource<VoidResult>
{
    private bool _armed;

    public LoopTask Arm()
    {
        if (IsCompleted(Version)) ResetForReuse();
        _armed = true;
        return new LoopTask(this, Version);
    }

    public void Fire()
    {
        if (!_armed) return;
        _armed = false;
        TrySetResult(default);
    }

    protected override bool RequestCancel()
    {
        _armed = false;
        return TrySetException(new OperationCanceledException("The read was cancelled; no data was lost (unread bytes stay buffered)."));
    }

    internal override string Describe() => "Connection read";
}
