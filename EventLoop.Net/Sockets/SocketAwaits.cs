using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// asyncio's <c>sock_*</c> operations on non-blocking sockets: each tries the system call
/// first and waits for readiness only when it would block. Nothing here uses the runtime's
/// own <c>Socket.*Async</c> machinery (its epoll thread and thread pool): the loop is the
/// poller. Cancelling the awaiting task, or the token, removes the readiness registration.
/// Loop thread only.
/// </summary>
public static class SocketAwaits
{
    /// <summary>
    /// Accepts a connection; the accepted socket is non-blocking, with Nagle off for TCP. Each time
    /// the listener is ready, the connections pending are accepted as a batch (at most 100) and
    /// handed out by this and the following calls without waiting; once they are taken, the next
    /// call waits for readiness, so an accept loop under a flood lets the rest of the loop run
    /// between batches. Errors that concern one pending connection are skipped, and when the process
    /// is out of descriptors the pending connections are accepted and closed (their clients learn
    /// at once) rather than left queued: neither ends an accept loop. One call at a time per listener.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The listener was closed (connections accepted for it and not taken yet are closed too).</exception>
    /// <exception cref="SocketException">The listener is not usable (not listening, for example).</exception>
    public static LoopTask<Socket> AcceptAsync(this Loop loop, Socket listener, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(listener);
        loop.CheckThread();
        EnsureNonBlocking(listener);
        return AcceptQueue.For(loop, listener).AcceptAsync(cancellationToken);
    }

    /// <summary>Receives up to <paramref name="buffer"/>.Length bytes; 0 means the peer closed its side.</summary>
    /// <exception cref="SocketException">The connection failed (reset, for example).</exception>
    public static async LoopTask<int> ReceiveAsync(this Loop loop, Socket socket, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        EnsureNonBlocking(socket);
        while (true)
        {
            int received = socket.Receive(buffer.Span, SocketFlags.None, out var error);
            if (error == SocketError.Success) return received;
            // A 0 with WouldBlock is "nothing yet", not end of stream.
            if (error != SocketError.WouldBlock) throw new SocketException((int)error);
            await ReadinessPromise.Wait(loop, socket, forWrite: false, cancellationToken);
        }
    }

    /// <summary>Sends all of <paramref name="data"/>, waiting for buffer space as needed.</summary>
    /// <exception cref="SocketException">The connection failed (the peer is gone, for example).</exception>
    public static async LoopTask SendAllAsync(this Loop loop, Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        EnsureNonBlocking(socket);
        while (!data.IsEmpty)
        {
            int sent = socket.Send(data.Span, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                data = data[sent..];
                continue;
            }
            if (error != SocketError.WouldBlock) throw new SocketException((int)error);
            await ReadinessPromise.Wait(loop, socket, forWrite: true, cancellationToken);
        }
    }

    /// <summary>
    /// Connects a non-blocking socket. A refused or unreachable connect throws
    /// <see cref="SocketException"/> with its error (read from SO_ERROR once the socket reports
    /// writable: on Linux a failed connect is writable too).
    /// </summary>
    public static async LoopTask ConnectAsync(this Loop loop, Socket socket, EndPoint remoteEndPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        EnsureNonBlocking(socket);
        try
        {
            socket.Connect(remoteEndPoint);
            return;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
        }
        await ReadinessPromise.Wait(loop, socket, forWrite: true, cancellationToken);
        int error = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        if (error != 0) throw new SocketException(error);
    }

    /// <summary>
    /// Completes when <paramref name="socket"/> is readable (data, end of stream, an error, or a
    /// pending connection on a listener), without reading anything: Trio's <c>wait_readable</c>.
    /// The waiting costs no allocation in the steady state, so a raw-socket loop that waits with
    /// it and then calls <see cref="Socket.Receive(Span{byte}, SocketFlags, out SocketError)"/>
    /// itself allocates nothing per message (<see cref="ReceiveAsync"/> allocates its
    /// <see cref="LoopTask{T}"/> each time it has to wait).
    /// </summary>
    public static LoopTask WaitReadableAsync(this Loop loop, Socket socket, CancellationToken cancellationToken = default) =>
        WaitReady(loop, socket, forWrite: false, cancellationToken);

    /// <summary>Completes when <paramref name="socket"/> is writable (or has failed): Trio's <c>wait_writable</c>.</summary>
    public static LoopTask WaitWritableAsync(this Loop loop, Socket socket, CancellationToken cancellationToken = default) =>
        WaitReady(loop, socket, forWrite: true, cancellationToken);

    private static LoopTask WaitReady(Loop loop, Socket socket, bool forWrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(socket);
        return ReadinessPromise.Wait(loop, socket, forWrite, cancellationToken);
    }

    private static void EnsureNonBlocking(Socket socket)
    {
        if (socket.Blocking) socket.Blocking = false;
    }
}
