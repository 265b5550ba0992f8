namespace EventLoop;

/// <summary>
/// The source behind <see cref="Loop.Delay(TimeSpan, CancellationToken)"/>: a loop timer that
/// completes it, and a cancellation (from <see cref="LoopTask.Cancel"/> or a token) that removes
/// the timer and completes it as cancelled.
/// </summary>
internal sealed class DelayPromise : LoopTaskSource<VoidResult>
{
    private static readonly Action<object?> OnTimer = static state => ((DelayPromise)state!).Elapse();
    private static readonly Action<object?> OnTokenCancelledOnLoop = static state => ((DelayPromise)state!).CancelWith(((DelayPromise)state!)._token);

    private readonly TimerHandle? _timer; // none for Timeout.InfiniteTimeSpan: only a cancellation ends it
    private readonly CancellationToken _token;
    private CancellationTokenRegistration _registration;

    public DelayPromise(Loop loop, TimeSpan delay, CancellationToken token)
    {
        OwnerLoop = loop;
        _token = token;
        if (delay != Timeout.InfiniteTimeSpan) _timer = loop.CallLater(delay, OnTimer, this);
        if (token.CanBeCanceled)
        {
            // The token may be cancelled on any thread: hop to the loop before touching anything.
            _registration = token.UnsafeRegister(static state =>
            {
                var self = (DelayPromise)state!;
                self.OwnerLoop!.TryPost(OnTokenCancelledOnLoop, self);
            }, this);
        }
    }

    private void Elapse()
    {
        _registration.Unregister();
        TrySetResult(default);
    }

    protected override bool RequestCancel() => CancelWith(default);

    private bool CancelWith(CancellationToken token)
    {
        if (IsCompleted(Version)) return false;
        _timer?.Cancel();
        _registration.Unregister();
        return TrySetException(new OperationCanceledException("The delay was cancelled.", token));
    }

    internal override string Describe() => "Delay";
}
