using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// Completes when a socket becomes readable (or writable): registers a one-shot reader
/// (writer) with the loop and removes it when it fires or when the wait is cancelled, through
/// <see cref="LoopTask.Cancel"/> or a <see cref="CancellationToken"/>.
/// </summary>
internal sealed class ReadinessPromise : LoopTaskSource<VoidResult>
{
    private static readonly Action<object?> CancelOnLoop = static state => ((ReadinessPromise)state!).RequestCancel();

    private readonly Loop _loop;
    private readonly Socket _socket;
    private readonly bool _forWrite;
    private readonly CancellationToken _token;
    private CancellationTokenRegistration _registration;

    private ReadinessPromise(Loop loop, Socket socket, bool forWrite, CancellationToken token)
    {
        _loop = loop;
        _socket = socket;
        _forWrite = forWrite;
        _token = token;
        OwnerLoop = loop;
    }

    public static LoopTask Wait(Loop loop, Socket socket, bool forWrite, CancellationToken token)
    {
        if (token.IsCancellationRequested) return LoopTask.FromException(new OperationCanceledException(token));
        var promise = new ReadinessPromise(loop, socket, forWrite, token);
        if (forWrite) loop.AddWriter(socket, promise.OnReady);
        else loop.AddReader(socket, promise.OnReady);
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
        _registration.Unregister();
        if (_loop.IsDisposed) return;
        if (_forWrite) _loop.RemoveWriter(_socket);
        else _loop.RemoveReader(_socket);
    }

    internal override string Describe() => _forWrite ? "wait for writable socket" : "wait for readable socket";
}
