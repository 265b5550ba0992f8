using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// Completes when a socket becomes readable (or writable): registers a one-shot reader
/// (writer) with the loop and removes it when it fires or when the wait is cancelled, through
/// <see cref="LoopTask.Cancel"/> or a <see cref="CancellationToken"/>.
/// </summary>
/// <remarks>
/// Socket awaits wait once per message, so promises are reused (per thread, like async-method
/// boxes): the task of a wait that succeeded, once awaited, hands its promise back. That is the
/// <see cref="LoopTask"/> contract (a task whose version no longer matches is a run that
/// succeeded), so a copy awaited again, or cancelled late, still behaves.
/// </remarks>
internal sealed class ReadinessPromise : LoopTaskSource<VoidResult>
{
    private const int MaxPooledPerThread = 64;
    private static readonly Action<object?> CancelOnLoop = static state => ((ReadinessPromise)state!).RequestCancel();

    [ThreadStatic] private static Stack<ReadinessPromise>? t_pool;

    private readonly Action _onReady;
    private Loop _loop = null!;
    private Socket _socket = null!;
    private bool _forWrite;
    private CancellationToken _token;
    private CancellationTokenRegistration _registration;
    private bool _cancelMayBeQueued;

    private ReadinessPromise() => _onReady = OnReady;

    public static LoopTask Wait(Loop loop, Socket socket, bool forWrite, CancellationToken token)
    {
        if (token.IsCancellationRequested) return LoopTask.FromException(new OperationCanceledException(token));
        var promise = t_pool is { Count: > 0 } pool ? pool.Pop() : new ReadinessPromise();
        promise._loop = loop;
        promise._socket = socket;
        promise._forWrite = forWrite;
        promise._token = token;
        promise.OwnerLoop = loop;
        if (forWrite) loop.AddWriter(socket, promise._onReady);
        else loop.AddReader(socket, promise._onReady);
        if (token.CanBeCanceled)
            promise._registration = token.UnsafeRegister(static s => ((ReadinessPromise)s!)._loop.TryPost(CancelOnLoop, s), promise);
        return new LoopTask(promise, promise.Version);
    }

    private void OnReady()
    {
        Unregister();
        TrySetResult(default);
    }

    protected override bool RequestCancel()
    {
        if (IsCompleted(Version)) return false;
        Unregister();
        return TrySetException(new OperationCanceledException("The socket operation was cancelled.", _token));
    }

    private void Unregister()
    {
        // Unregister fails when the token's callback already ran (or is running): its request
        // may be on its way to the loop, so this promise must not be reused for another wait.
        if (_token.CanBeCanceled && !_registration.Unregister()) _cancelMayBeQueued = true;
        _registration = default;
        if (_loop.IsDisposed) return;
        if (_forWrite) _loop.RemoveWriter(_socket);
        else _loop.RemoveReader(_socket);
    }

    internal override void OnResultConsumed(int version)
    {
        if (version != Version || _cancelMayBeQueued) return;
        _loop = null!;
        _socket = null!;
        _token = default;
        ResetForReuse();
        var pool = t_pool ??= new Stack<ReadinessPromise>();
        if (pool.Count < MaxPooledPerThread) pool.Push(this);
    }

    internal override string Describe() => _forWrite ? "wait for writable socket" : "wait for readable socket";
}
