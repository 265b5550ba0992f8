using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EventLoop.Net;

/// <summary>
/// A stream socket driven by the loop (asyncio's selector socket transport). Reading starts
/// right after <see cref="IProtocol.ConnectionMade"/> has run; writes go straight to the kernel
/// while nothing is buffered; <see cref="IProtocol.ConnectionLost"/> is always queued, never
/// called inline, and the socket is closed after it.
/// </summary>
internal sealed class SocketTransport : ITransport
{
    private static readonly Action<object?> StartCallback = static state => ((SocketTransport)state!).Start();
    private static readonly Action<object?> LostCallback = static state => ((SocketTransport)state!).CallConnectionLost();
    private const int DroppedWritesBeforeWarning = 5;

    private readonly Loop _loop;
    private readonly Socket _socket;
    private readonly IProtocol _protocol;
    private readonly Action<SocketTransport>? _onClosed;
    private readonly Action _onReadable;
    private readonly Action _onWritable;
    private readonly ByteBuffer _writeBuffer = new();
    private int _high = ITransport.DefaultHighWaterMark;
    private int _low = ITransport.DefaultLowWaterMark;

    private bool _reading;        // a reader is registered
    private bool _readingPaused;  // the protocol asked us to pause
    private bool _eofReceived;
    private bool _eofRequested;   // WriteEof called: shut down once flushed
    private bool _closing;
    private bool _lostScheduled;
    private bool _protocolPausedWriting;
    private int _droppedWrites;
    private Exception? _lostError;

    public SocketTransport(Loop loop, Socket socket, IProtocol protocol, Action<SocketTransport>? onClosed = null)
    {
        _loop = loop;
        _socket = socket;
        _protocol = protocol;
        _onClosed = onClosed;
        _onReadable = OnReadable;
        _onWritable = OnWritable;
        socket.Blocking = false;
        RemoteEndPoint = SafeEndPoint(() => socket.RemoteEndPoint);
        LocalEndPoint = SafeEndPoint(() => socket.LocalEndPoint);
        // As asyncio: ConnectionMade runs in the next iteration, and reading starts after it.
        loop.TryPost(StartCallback, this);
    }

    public EndPoint? RemoteEndPoint { get; }

    public EndPoint? LocalEndPoint { get; }

    public bool IsClosing => _closing;

    public bool IsReading => _reading;

    public int WriteBufferSize => _writeBuffer.Count;

    /// <summary>For logs: the peer address.</summary>
    public override string ToString() => $"{RemoteEndPoint?.ToString() ?? "unknown peer"}";

    private void Start()
    {
        if (_closing) return;
        if (!Guard(() => _protocol.ConnectionMade(this), "ConnectionMade")) return;
        if (!_closing && !_readingPaused) StartReading();
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (_eofRequested) throw new InvalidOperationException("Cannot write after WriteEof().");
        if (data.IsEmpty) return;
        if (_lostScheduled)
        {
            // As asyncio: writes after the connection is lost are dropped, with a warning once
            // a caller keeps writing to a dead peer.
            if (++_droppedWrites >= DroppedWritesBeforeWarning)
                _loop.Logger.LogWarning("Write to {Peer} dropped: the connection is lost ({Count} writes dropped)", this, _droppedWrites);
            return;
        }
        if (_writeBuffer.IsEmpty)
        {
            int sent = _socket.Send(data, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                data = data[sent..];
                if (data.IsEmpty) return;
            }
            else if (error != SocketError.WouldBlock)
            {
                Fail(new SocketException((int)error));
                return;
            }
            _loop.AddWriter(_socket, _onWritable);
        }
        _writeBuffer.Append(data);
        MaybePauseProtocol();
    }

    public void WriteEof()
    {
        if (_eofRequested || _closing) return;
        _eofRequested = true;
        if (_writeBuffer.IsEmpty) ShutdownSend();
    }

    public void Close()
    {
        if (_closing) return;
        _closing = true;
        StopReading();
        if (_writeBuffer.IsEmpty) ScheduleConnectionLost(null);
    }

    public void Abort()
    {
        if (_lostScheduled) return;
        try { _socket.LingerState = new LingerOption(true, 0); } // close with RST: the peer learns at once
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        ForceClose(null);
    }

    public void PauseReading()
    {
        if (_closing || _readingPaused) return;
        _readingPaused = true;
        StopReading();
    }

    public void ResumeReading()
    {
        if (_closing || !_readingPaused) return;
        _readingPaused = false;
        if (!_eofReceived) StartReading();
    }

    public void SetWriteBufferLimits(int? high = null, int? low = null)
    {
        (_high, _low) = WriteLimits.Resolve(high, low);
        MaybePauseProtocol();
    }

    private void StartReading()
    {
        if (_reading) return;
        _reading = true;
        _loop.AddReader(_socket, _onReadable);
    }

    private void StopReading()
    {
        if (!_reading) return;
        _reading = false;
        _loop.RemoveReader(_socket);
    }

    private void OnReadable()
    {
        var buffer = SharedReadBuffer.Get();
        int received = _socket.Receive(buffer, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock) return;
        if (error != SocketError.Success)
        {
            Fail(new SocketException((int)error));
            return;
        }
        if (received == 0)
        {
            OnEof();
            return;
        }
        // The hot path: no closure, no allocation.
        try { _protocol.DataReceived(buffer.AsSpan(0, received)); }
        catch (Exception e) { ProtocolFailed(e, "DataReceived"); }
    }

    private void OnEof()
    {
        _eofReceived = true;
        StopReading();
        bool keepOpen = false;
        if (!Guard(() => keepOpen = _protocol.EofReceived(), "EofReceived")) return;
        if (!keepOpen) Close();
    }

    private void OnWritable()
    {
        int sent = _socket.Send(_writeBuffer.Span, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock) return;
        if (error != SocketError.Success)
        {
            Fail(new SocketException((int)error));
            return;
        }
        _writeBuffer.Consume(sent);
        MaybeResumeProtocol();
        if (!_writeBuffer.IsEmpty) return;
        _loop.RemoveWriter(_socket);
        if (_closing) ScheduleConnectionLost(null);
        else if (_eofRequested) ShutdownSend();
    }

    private void ShutdownSend()
    {
        try { _socket.Shutdown(SocketShutdown.Send); }
        catch (SocketException e) { Fail(e); }
    }

    private void MaybePauseProtocol()
    {
        if (_protocolPausedWriting || _writeBuffer.Count <= _high) return;
        _protocolPausedWriting = true;
        try { _protocol.PauseWriting(); }
        catch (Exception e) { ProtocolFailed(e, "PauseWriting"); }
    }

    private void MaybeResumeProtocol()
    {
        if (!_protocolPausedWriting || _writeBuffer.Count > _low) return;
        _protocolPausedWriting = false;
        try { _protocol.ResumeWriting(); }
        catch (Exception e) { ProtocolFailed(e, "ResumeWriting"); }
    }

    /// <summary>The connection broke (reset, broken pipe...): close at once and tell the protocol why.</summary>
    private void Fail(Exception error)
    {
        _loop.Logger.LogDebug(error, "Connection to {Peer} failed", this);
        ForceClose(error);
    }

    private void ForceClose(Exception? error)
    {
        if (_lostScheduled) return;
        _closing = true;
        _writeBuffer.Clear();
        _loop.RemoveWriter(_socket);
        StopReading();
        ScheduleConnectionLost(error);
    }

    private void ScheduleConnectionLost(Exception? error)
    {
        if (_lostScheduled) return;
        _lostScheduled = true;
        _closing = true;
        _lostError = error;
        _loop.TryPost(LostCallback, this);
    }

    private void CallConnectionLost()
    {
        try
        {
            Guard(() => _protocol.ConnectionLost(_lostError), "ConnectionLost");
        }
        finally
        {
            _writeBuffer.Clear();
            _socket.Dispose();
            _onClosed?.Invoke(this);
        }
    }

    /// <summary>
    /// Runs protocol code; an exception closes this connection only (after being reported
    /// with the peer address) and returns false.
    /// </summary>
    private bool Guard(Action action, string callback)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception e)
        {
            ProtocolFailed(e, callback);
            return false;
        }
    }

    private void ProtocolFailed(Exception error, string callback)
    {
        _loop.ReportException(ProtocolFailure.Describe(error, callback, _protocol, this));
        if (callback != nameof(IProtocol.ConnectionLost)) ForceClose(error);
    }

    private static EndPoint? SafeEndPoint(Func<EndPoint?> read)
    {
        try { return read(); }
        catch (SocketException) { return null; }
        catch (ObjectDisposedException) { return null; }
    }
}
