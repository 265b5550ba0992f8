namespace EventLoop.Net;

/// <summary>
/// One <see cref="Connection.DrainAsync"/> that has to wait. Each waiter is its own source, so
/// cancelling one draining task never disturbs the others draining the same connection.
/// </summary>
internal sealed class DrainWaiter(List<DrainWaiter> waiters) : LoopTaskSource<VoidResult>
{
    public LoopTask Task => new(this, Version);

    public void Release() => TrySetResult(default);

    public void Fail(Exception error) => TrySetException(error);

    protected override bool RequestCancel()
    {
        waiters.Remove(this);
        return TrySetException(new OperationCanceledException("The drain was cancelled."));
    }

    internal override string Describe() => "Connection.DrainAsync";
}
