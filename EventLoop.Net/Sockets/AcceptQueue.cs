using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace EventLoop.Net;

/// <summary>
/// What <see cref="SocketAwaits.AcceptAsync"/> keeps per listening socket: connections already
/// accepted and not handed out yet. Each readiness event accepts a bounded batch (until the kernel
/// queue is empty or <see cref="Acceptor.Batch"/>), and the following awaits take from it without
/// a system call or a wait; once it runs dry the next await waits for readiness again, so an
/// accept loop under a flood gives the rest of the loop a turn between batches. Loop thread only.
/// </summary>
internal sealed class AcceptQueue
{
    private static readonly ConditionalWeakTable<Socket, AcceptQueue> s_queues = new();

    private readonly Loop _loop;
    private readonly Socket _listener;
    private readonly Acceptor _acceptor;
    private readonly Queue<Socket> _accepted = new();
    private bool _triedOnce;
    private bool _paused;

    private AcceptQueue(Loop loop, Socket listener)
    {
        _loop = loop;
        _listener = listener;
        _acceptor = new Acceptor(listener, loop.Logger);
    }

    /// <summary>The listener's queue on <paramref name="loop"/> (a listener moved to another loop starts a new one).</summary>
    public static AcceptQueue For(Loop loop, Socket listener)
    {
        if (s_queues.TryGetValue(listener, out var queue) && queue._loop == loop) return queue;
        queue = new AcceptQueue(loop, listener);
        s_queues.AddOrUpdate(listener, queue);
        return queue;
    }

    public LoopTask<Socket> AcceptAsync(CancellationToken cancellationToken) =>
        _accepted.Count > 0 && !_listener.SafeHandle.IsClosed && !cancellationToken.IsCancellationRequested
            ? LoopTask.FromResult(_accepted.Dequeue())
            : AcceptOrWaitAsync(cancellationToken);

    private async LoopTask<Socket> AcceptOrWaitAsync(CancellationToken cancellationToken)
    {
        // asyncio's sock_accept tries at once; after that, a dry queue means "wait for readiness".
        bool wait = _triedOnce;
        while (true)
        {
            if (_listener.SafeHandle.IsClosed) throw ListenerClosed();
            cancellationToken.ThrowIfCancellationRequested();
            if (wait && _paused) await _loop.Delay(Acceptor.PauseAfterShortage, cancellationToken);
            else if (wait) await ReadinessPromise.Wait(_loop, _listener, forWrite: false, cancellationToken);
            wait = true;
            if (_listener.SafeHandle.IsClosed) throw ListenerClosed();
            FillBatch();
            if (_accepted.TryDequeue(out var socket)) return socket;
        }
    }

    private void FillBatch()
    {
        _triedOnce = true;
        _paused = false;
        for (int i = 0; i < Acceptor.Batch; i++)
        {
            switch (_acceptor.TryAccept(out var socket))
            {
                case AcceptResult.Accepted:
                    _accepted.Enqueue(socket!);
                    break;
                case AcceptResult.Empty:
                    return;
                case AcceptResult.Paused:
                    _paused = true;
                    return;
            }
        }
    }

    /// <summary>The listener was closed: connections accepted for it and never taken are closed too.</summary>
    private ObjectDisposedException ListenerClosed()
    {
        while (_accepted.TryDequeue(out var socket)) socket.Dispose();
        return new ObjectDisposedException(nameof(Socket), "The listening socket was closed.");
    }
}
