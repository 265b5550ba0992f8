using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// A stream socket driven by the loop (asyncio's selector socket transport): the readiness
/// callbacks and system calls under <see cref="StreamTransport"/>. One receive per readable
/// event, into the loop thread's shared buffer and no larger than the protocol's read-ahead
/// allows; one send per flush. The socket is closed after ConnectionLost.
/// </summary>
internal sealed class SocketTransport : StreamTransport
{
    private readonly Socket _socket;
    private readonly Action<SocketTransport>? _onClosed;
    private readonly Action _onReadable;
    private readonly Action _onWritable;

    public SocketTransport(Loop loop, Socket socket, IProtocol protocol, Action<SocketTransport>? onClosed = null) : base(loop, protocol)
    {
        _socket = socket;
        _onClosed = onClosed;
        _onReadable = OnReadable;
        _onWritable = OnWritable;
        socket.Blocking = false;
        RemoteEndPoint = SafeEndPoint(() => socket.RemoteEndPoint);
        LocalEndPoint = SafeEndPoint(() => socket.LocalEndPoint);
    }

    public override EndPoint? RemoteEndPoint { get; }

    public override EndPoint? LocalEndPoint { get; }

    /// <summary>Send system calls made so far: what write coalescing saves is counted here.</summary>
    internal int SendCalls { get; private set; }

    protected override string PeerName => RemoteEndPoint?.ToString() ?? "unknown peer";

    protected override void StartReadingCore() => Loop.AddReader(_socket, _onReadable);

    protected override void StopReadingCore() => Loop.RemoveReader(_socket);

    protected override int Send(ReadOnlySpan<byte> data)
    {
        SendCalls++;
        int sent = _socket.Send(data, SocketFlags.None, out var error);
        if (error == SocketError.Success) return sent;
        if (error == SocketError.WouldBlock) return 0;
        Fail(new SocketException((int)error));
        return -1;
    }

    protected override void WaitWritable(bool on)
    {
        if (on) Loop.AddWriter(_socket, _onWritable);
        else Loop.RemoveWriter(_socket);
    }

    protected override void ShutdownSend()
    {
        try { _socket.Shutdown(SocketShutdown.Send); }
        catch (SocketException e) { Fail(e); }
    }

    protected override void OnAborting()
    {
        try { _socket.LingerState = new LingerOption(true, 0); } // close with RST: the peer learns at once
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    protected override void ReleaseResources()
    {
        _socket.Dispose();
        _onClosed?.Invoke(this);
    }

    private void OnReadable()
    {
        var buffer = SharedReadBuffer.Get();
        int received = _socket.Receive(buffer.AsSpan(0, MaxReceiveSize), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock) return;
        if (error != SocketError.Success)
        {
            Fail(new SocketException((int)error));
            return;
        }
        if (received == 0) DeliverEof();
        else DeliverData(buffer.AsSpan(0, received));
    }

    private static EndPoint? SafeEndPoint(Func<EndPoint?> read)
    {
        try { return read(); }
        catch (SocketException) { return null; }
        catch (ObjectDisposedException) { return null; }
    }
}
