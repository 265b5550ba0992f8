using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// A UDP socket served by the loop, on the common <see cref="Transport"/> lifecycle, flow control
/// and error policy: a reader that delivers datagrams, and a send queue for when the socket is
/// full (datagrams are sent at once otherwise: coalescing them would save no system call).
/// </summary>
internal sealed class DatagramTransport : Transport, IDatagramTransport
{
    private readonly Socket _socket;
    private readonly IDatagramProtocol _protocol;
    private readonly Queue<(byte[] Data, EndPoint? Remote)> _queue = new();
    private readonly Action _onReadable;
    private readonly Action _onWritable;
    private readonly EndPoint _anyRemote;
    private int _queuedBytes;

    public DatagramTransport(Loop loop, Socket socket, IDatagramProtocol protocol, EndPoint? remote) : base(loop)
    {
        _socket = socket;
        _protocol = protocol;
        RemoteEndPoint = remote;
        LocalEndPoint = socket.LocalEndPoint;
        _anyRemote = socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        _onReadable = OnReadable;
        _onWritable = OnWritable;
    }

    public EndPoint? LocalEndPoint { get; }

    public EndPoint? RemoteEndPoint { get; }

    public override int WriteBufferSize => _queuedBytes;

    protected override string PeerName => RemoteEndPoint?.ToString() ?? $"datagram endpoint {LocalEndPoint}";

    protected override string ProtocolName => _protocol.GetType().Name;

    public void SendTo(ReadOnlySpan<byte> data, EndPoint? remote = null)
    {
        Loop.CheckThread();
        if (remote is null && RemoteEndPoint is null)
            throw new ArgumentNullException(nameof(remote), "This endpoint has no connected peer: name the destination.");
        if (remote is not null && RemoteEndPoint is not null && !remote.Equals(RemoteEndPoint))
            throw new ArgumentException($"This endpoint is connected to {RemoteEndPoint}; it cannot send to {remote}.", nameof(remote));
        if (IsClosing) return; // the rule of every transport: dropped silently once closing
        if (_queue.Count == 0 && TrySend(data, remote)) return;
        _queue.Enqueue((data.ToArray(), remote));
        _queuedBytes += data.Length;
        if (_queue.Count == 1) Loop.AddWriter(_socket, _onWritable);
        MaybePauseProtocol();
    }

    // A connected UDP socket learns of an ICMP "port unreachable" as an error alone.
    protected override void StartReadingCore() => Loop.AddReaderWatchingErrors(_socket, _onReadable);

    protected override void StopReadingCore() => Loop.RemoveReader(_socket);

    protected override void DiscardWriteBuffer()
    {
        if (_queue.Count > 0) Loop.RemoveWriter(_socket);
        _queue.Clear();
        _queuedBytes = 0;
    }

    protected override void ReleaseResources() => _socket.Dispose();

    protected override void CallConnectionMade() => _protocol.ConnectionMade(this);

    protected override void CallProtocolConnectionLost(Exception? error) => _protocol.ConnectionLost(error);

    protected override void CallPauseWriting() => _protocol.PauseWriting();

    protected override void CallResumeWriting() => _protocol.ResumeWriting();

    /// <summary>Sends now; false when the socket is full. Errors go to the protocol (UDP keeps going).</summary>
    private bool TrySend(ReadOnlySpan<byte> data, EndPoint? remote)
    {
        try
        {
            SocketError error;
            if (RemoteEndPoint is not null) _socket.Send(data, SocketFlags.None, out error);
            else
            {
                _socket.SendTo(data, SocketFlags.None, remote!);
                error = SocketError.Success;
            }
            if (error == SocketError.WouldBlock) return false;
            if (error != SocketError.Success) ReportError(new SocketException((int)error));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return false;
        }
        catch (SocketException e)
        {
            ReportError(e);
            return true;
        }
    }

    private void OnWritable()
    {
        while (_queue.Count > 0)
        {
            var (data, remote) = _queue.Peek();
            if (!TrySend(data, remote)) return;
            _queue.Dequeue();
            _queuedBytes -= data.Length;
            MaybeResumeProtocol();
            if (IsLost) return;
        }
        Loop.RemoveWriter(_socket);
        WriteBufferDrained();
    }

    private void OnReadable()
    {
        var buffer = SharedReadBuffer.Get();
        EndPoint from = _anyRemote;
        int n;
        try
        {
            n = _socket.ReceiveFrom(buffer, SocketFlags.None, ref from);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return;
        }
        catch (SocketException e)
        {
            ReportError(e);
            return;
        }
        try { _protocol.DatagramReceived(buffer.AsSpan(0, n), from); }
        catch (Exception e) { ProtocolFailed(e, "DatagramReceived"); }
    }

    private void ReportError(Exception error)
    {
        try { _protocol.ErrorReceived(error); }
        catch (Exception e) { ProtocolFailed(e, "ErrorReceived"); }
    }
}
