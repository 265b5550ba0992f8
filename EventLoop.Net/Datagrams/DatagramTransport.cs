using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>A UDP socket served by the loop: a reader that delivers datagrams, a send queue for when the socket is full.</summary>
internal sealed class DatagramTransport : IDatagramTransport
{
    private static readonly Action<object?> StartCallback = static s => ((DatagramTransport)s!).Start();
    private static readonly Action<object?> LostCallback = static s => ((DatagramTransport)s!).CallConnectionLost();

    private readonly Loop _loop;
    private readonly Socket _socket;
    private readonly IDatagramProtocol _protocol;
    private readonly Queue<(byte[] Data, EndPoint? Remote)> _queue = new();
    private readonly Action _onReadable;
    private readonly Action _onWritable;
    private readonly EndPoint _anyRemote;
    private int _queuedBytes;
    private bool _closing;
    private bool _lostScheduled;
    private Exception? _lostError;

    public DatagramTransport(Loop loop, Socket socket, IDatagramProtocol protocol, EndPoint? remote)
    {
        _loop = loop;
        _socket = socket;
        _protocol = protocol;
        RemoteEndPoint = remote;
        LocalEndPoint = socket.LocalEndPoint;
        _anyRemote = socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        _onReadable = OnReadable;
        _onWritable = OnWritable;
        loop.TryPost(StartCallback, this);
    }

    public EndPoint? LocalEndPoint { get; }

    public EndPoint? RemoteEndPoint { get; }

    public int WriteBufferSize => _queuedBytes;

    private void Start()
    {
        if (_closing) return;
        try { _protocol.ConnectionMade(this); }
        catch (Exception e) { ProtocolFailed(e, "ConnectionMade"); return; }
        // A connected UDP socket learns of an ICMP "port unreachable" as an error alone.
        _loop.AddReaderWatchingErrors(_socket, _onReadable);
    }

    public void SendTo(ReadOnlySpan<byte> data, EndPoint? remote = null)
    {
        if (_closing) return; // as asyncio: sends after close are dropped
        if (remote is null && RemoteEndPoint is null)
            throw new ArgumentNullException(nameof(remote), "This endpoint has no connected peer: name the destination.");
        if (remote is not null && RemoteEndPoint is not null && !remote.Equals(RemoteEndPoint))
            throw new ArgumentException($"This endpoint is connected to {RemoteEndPoint}; it cannot send to {remote}.", nameof(remote));
        if (_queue.Count == 0 && TrySend(data, remote)) return;
        _queue.Enqueue((data.ToArray(), remote));
        _queuedBytes += data.Length;
        if (_queue.Count == 1) _loop.AddWriter(_socket, _onWritable);
    }

    public void Close()
    {
        if (_closing) return;
        _closing = true;
        _loop.RemoveReader(_socket);
        if (_queue.Count == 0) ScheduleLost(null);
    }

    public void Abort()
    {
        _queue.Clear();
        _queuedBytes = 0;
        _loop.RemoveWriter(_socket);
        _closing = true;
        _loop.RemoveReader(_socket);
        ScheduleLost(null);
    }

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
        }
        _loop.RemoveWriter(_socket);
        if (_closing) ScheduleLost(null);
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

    private void ProtocolFailed(Exception error, string callback)
    {
        _loop.ReportException(new LoopExceptionContext($"Datagram protocol {callback} threw; closing the endpoint", error, _protocol.GetType().Name));
        _lostError ??= error;
        Abort();
    }

    private void ScheduleLost(Exception? error)
    {
        if (_lostScheduled) return;
        _lostScheduled = true;
        _lostError ??= error;
        _loop.TryPost(LostCallback, this);
    }

    private void CallConnectionLost()
    {
        try { _protocol.ConnectionLost(_lostError); }
        catch (Exception e) { _loop.ReportException(new LoopExceptionContext("Datagram protocol ConnectionLost threw", e, _protocol.GetType().Name)); }
        finally { _socket.Dispose(); }
    }
}
