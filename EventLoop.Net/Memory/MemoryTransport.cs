using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// Two connected transports that never touch the kernel, for deterministic tests of protocol
/// and stream code (Trio's memory_stream_pair, Tokio's duplex). Bytes written on one side are
/// delivered to the other by the loop, at most <see cref="MemoryPipeOptions.ChunkSize"/> a step,
/// with the same backpressure and close semantics as a socket: pause/resume reading and writing,
/// half-close, close after flush, abort as a reset.
/// </summary>
public sealed class MemoryTransport : ITransport
{
    private static readonly Action<object?> StartCallback = static s => ((MemoryTransport)s!).Start();
    private static readonly Action<object?> DeliverCallback = static s => ((MemoryTransport)s!).Deliver();
    private static readonly Action<object?> LostCallback = static s => ((MemoryTransport)s!).CallConnectionLost();

    private readonly Loop _loop;
    private readonly IProtocol _protocol;
    private readonly ByteBuffer _outgoing = new();
    private readonly int _chunkSize;
    private MemoryTransport _peer = null!;
    private int _high = ITransport.DefaultHighWaterMark;
    private int _low = ITransport.DefaultLowWaterMark;
    private bool _started;
    private bool _readingPaused;
    private bool _eofRequested;
    private bool _eofDelivered;
    private bool _closing;
    private bool _lostScheduled;
    private bool _deliveryScheduled;
    private bool _protocolPausedWriting;
    private Exception? _lostError;

    private MemoryTransport(Loop loop, IProtocol protocol, int chunkSize, string name)
    {
        _loop = loop;
        _protocol = protocol;
        _chunkSize = chunkSize;
        LocalEndPoint = new DnsEndPoint(name, 0);
    }

    /// <summary>
    /// Connects <paramref name="first"/> and <paramref name="second"/>: each gets
    /// <see cref="IProtocol.ConnectionMade"/> in the next iteration.
    /// </summary>
    public static (MemoryTransport First, MemoryTransport Second) CreatePair(Loop loop, IProtocol first, IProtocol second, MemoryPipeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loop);
        options ??= new MemoryPipeOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ChunkSize);
        var a = new MemoryTransport(loop, first, options.ChunkSize, "memory-a");
        var b = new MemoryTransport(loop, second, options.ChunkSize, "memory-b");
        a._peer = b;
        b._peer = a;
        loop.CallSoon(StartCallback, a);
        loop.CallSoon(StartCallback, b);
        return (a, b);
    }

    /// <summary>Two connected stream <see cref="Connection"/>s over a memory pair, established once the loop has run an iteration.</summary>
    public static (Connection First, Connection Second) CreateConnectionPair(Loop loop, ConnectionOptions? options = null, MemoryPipeOptions? pipeOptions = null)
    {
        var first = new Connection(loop, options);
        var second = new Connection(loop, options);
        CreatePair(loop, first.Protocol, second.Protocol, pipeOptions);
        return (first, second);
    }

    /// <inheritdoc />
    public EndPoint? RemoteEndPoint => _peer.LocalEndPoint;

    /// <inheritdoc />
    public EndPoint? LocalEndPoint { get; }

    /// <inheritdoc />
    public bool IsClosing => _closing;

    /// <inheritdoc />
    public bool IsReading => _started && !_readingPaused && !_closing;

    /// <inheritdoc />
    public int WriteBufferSize => _outgoing.Count;

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> data)
    {
        if (_eofRequested) throw new InvalidOperationException("Cannot write after WriteEof().");
        if (data.IsEmpty || _lostScheduled) return;
        _outgoing.Append(data);
        ScheduleDelivery();
        if (!_protocolPausedWriting && _outgoing.Count > _high)
        {
            _protocolPausedWriting = true;
            try { _protocol.PauseWriting(); }
            catch (Exception e) { ProtocolFailed(e, "PauseWriting"); }
        }
    }

    /// <inheritdoc />
    public void WriteEof()
    {
        if (_eofRequested || _closing) return;
        _eofRequested = true;
        ScheduleDelivery();
    }

    /// <inheritdoc />
    public void Close()
    {
        if (_closing) return;
        _closing = true;
        _eofRequested = true;
        ScheduleDelivery(); // flush, then EOF to the peer, then our ConnectionLost
    }

    /// <inheritdoc />
    public void Abort()
    {
        if (_lostScheduled) return;
        _outgoing.Clear();
        _closing = true;
        ScheduleLost(null);
        _peer.ForceClose(new SocketException((int)SocketError.ConnectionReset));
    }

    /// <inheritdoc />
    public void PauseReading()
    {
        if (_closing) return;
        _readingPaused = true;
    }

    /// <inheritdoc />
    public void ResumeReading()
    {
        if (!_readingPaused) return;
        _readingPaused = false;
        _peer.ScheduleDelivery();
    }

    /// <inheritdoc />
    public void SetWriteBufferLimits(int? high = null, int? low = null) => (_high, _low) = WriteLimits.Resolve(high, low);

    private void Start()
    {
        _started = true;
        try { _protocol.ConnectionMade(this); }
        catch (Exception e)
        {
            ProtocolFailed(e, "ConnectionMade");
            return;
        }
        _peer.ScheduleDelivery(); // anything written to us before we started
    }

    private void ScheduleDelivery()
    {
        if (_deliveryScheduled || _lostScheduled) return;
        _deliveryScheduled = true;
        _loop.CallSoon(DeliverCallback, this);
    }

    /// <summary>One step of the pipe: one chunk to the peer, like one socket read.</summary>
    private void Deliver()
    {
        _deliveryScheduled = false;
        if (_lostScheduled) return;
        var peer = _peer;
        if (!_outgoing.IsEmpty)
        {
            if (!peer.IsReading || peer._lostScheduled) return; // the peer's ResumeReading reschedules us
            int n = Math.Min(_chunkSize, _outgoing.Count);
            try { peer._protocol.DataReceived(_outgoing.Span[..n]); }
            catch (Exception e) { peer.ProtocolFailed(e, "DataReceived"); }
            if (_lostScheduled) return; // the peer's failure reset us
            _outgoing.Consume(n);
            if (_protocolPausedWriting && _outgoing.Count <= _low)
            {
                _protocolPausedWriting = false;
                try { _protocol.ResumeWriting(); }
                catch (Exception e)
                {
                    ProtocolFailed(e, "ResumeWriting");
                    return;
                }
            }
            if (!_outgoing.IsEmpty || _eofRequested) ScheduleDelivery();
            return;
        }
        if (_eofRequested && !_eofDelivered)
        {
            _eofDelivered = true;
            if (!peer._lostScheduled && !peer.CallEofReceived()) peer.Close();
        }
        if (_closing && _eofDelivered) ScheduleLost(null);
    }

    private void ForceClose(Exception error)
    {
        if (_lostScheduled) return;
        _outgoing.Clear();
        _closing = true;
        ScheduleLost(error);
    }

    private void ScheduleLost(Exception? error)
    {
        if (_lostScheduled) return;
        _lostScheduled = true;
        _lostError = error;
        _loop.CallSoon(LostCallback, this);
    }

    /// <summary>The protocol's <see cref="IProtocol.EofReceived"/>; true when it keeps the connection half-open.</summary>
    private bool CallEofReceived()
    {
        try { return _protocol.EofReceived(); }
        catch (Exception e)
        {
            ProtocolFailed(e, "EofReceived");
            return true; // already closing
        }
    }

    private void CallConnectionLost()
    {
        try { _protocol.ConnectionLost(_lostError); }
        catch (Exception e) { ProtocolFailed(e, "ConnectionLost"); }
    }

    /// <summary>
    /// As over a socket: protocol code that throws is reported, and its connection (only) is
    /// closed — this side ends with the error, the peer sees a reset.
    /// </summary>
    private void ProtocolFailed(Exception error, string callback)
    {
        _loop.ReportException(ProtocolFailure.Describe(error, callback, _protocol, this));
        if (callback == nameof(IProtocol.ConnectionLost)) return;
        ForceClose(error);
        _peer.ForceClose(new SocketException((int)SocketError.ConnectionReset));
    }
}
