using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// One end of a <see cref="MemoryTransport"/> pair: the medium under <see cref="StreamTransport"/>
/// is the other end's receive buffer, bounded like a socket's. Reads and writable events are
/// queued callbacks, as readiness callbacks are for a socket, so a pair steps the way two sockets do.
/// </summary>
internal sealed class MemoryPipeEnd : StreamTransport
{
    private static readonly Action<object?> ReadableCallback = static s => ((MemoryPipeEnd)s!).OnReadable();
    private static readonly Action<object?> WritableCallback = static s => ((MemoryPipeEnd)s!).OnWritableEvent();

    private readonly int _chunkSize;
    private readonly string _name;
    private readonly ByteBuffer _received = new(); // sent by the peer, not read yet (the "socket buffer")
    private MemoryPipeEnd _peer = null!;
    private bool _peerFinished;      // the peer shut down its sending side: end of stream after _received
    private bool _readingActive;
    private bool _readScheduled;
    private bool _wantWritable;
    private bool _writableScheduled;
    private bool _released;          // closed: what the peer sends now is dropped

    private MemoryPipeEnd(Loop loop, IProtocol protocol, int chunkSize, string name) : base(loop, protocol)
    {
        _chunkSize = chunkSize;
        _name = name;
        LocalEndPoint = new DnsEndPoint(name, 0);
    }

    public static (MemoryPipeEnd First, MemoryPipeEnd Second) CreatePair(Loop loop, IProtocol first, IProtocol second, MemoryPipeOptions options)
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ChunkSize);
        var a = new MemoryPipeEnd(loop, first, options.ChunkSize, "memory-a");
        var b = new MemoryPipeEnd(loop, second, options.ChunkSize, "memory-b");
        a._peer = b;
        b._peer = a;
        return (a, b);
    }

    public override EndPoint? RemoteEndPoint => _peer.LocalEndPoint;

    public override EndPoint? LocalEndPoint { get; }

    protected override string PeerName => _peer._name;

    protected override void StartReadingCore()
    {
        _readingActive = true;
        ScheduleRead();
    }

    protected override void StopReadingCore() => _readingActive = false;

    protected override int Send(ReadOnlySpan<byte> data)
    {
        // The peer has closed: the bytes are dropped. (TCP would answer with a reset and fail a later
        // send, but what we had received, and its end, stay readable; dropping keeps that simple.)
        if (_peer._released) return data.Length;
        int taken = Math.Min(_chunkSize - _peer._received.Count, data.Length);
        if (taken <= 0) return 0;
        _peer._received.Append(data[..taken]);
        _peer.ScheduleRead();
        return taken;
    }

    protected override void WaitWritable(bool on) => _wantWritable = on;

    protected override void ShutdownSend()
    {
        if (_peer._released) return;
        _peer._peerFinished = true;
        _peer.ScheduleRead();
    }

    protected override void OnAborting() => _peer.ResetByPeer();

    protected override void ReleaseResources()
    {
        _released = true;
        _received.Clear();
        ShutdownSend(); // a close the peer has not heard of yet reaches it as end of stream
    }

    private void ResetByPeer()
    {
        _received.Clear();
        ForceClose(new SocketException((int)SocketError.ConnectionReset));
    }

    private void ScheduleRead()
    {
        if (_readScheduled || !_readingActive || (_received.IsEmpty && !_peerFinished)) return;
        _readScheduled = true;
        Loop.CallSoon(ReadableCallback, this);
    }

    /// <summary>One read, as a socket's readable event: at most a chunk, then the end of stream once all is read.</summary>
    private void OnReadable()
    {
        _readScheduled = false;
        if (!_readingActive || IsLost) return;
        if (_received.IsEmpty)
        {
            if (_peerFinished) DeliverEof();
            return;
        }
        var buffer = SharedReadBuffer.Get();
        int n = _received.Read(buffer.AsSpan(0, Math.Min(_chunkSize, MaxReceiveSize)));
        _peer.RoomFreed();
        DeliverData(buffer.AsSpan(0, n));
        ScheduleRead(); // level-triggered: what is left (or the end) is read in the next step
    }

    private void RoomFreed()
    {
        if (!_wantWritable || _writableScheduled) return;
        _writableScheduled = true;
        Loop.CallSoon(WritableCallback, this);
    }

    private void OnWritableEvent()
    {
        _writableScheduled = false;
        if (_wantWritable) OnWritable();
    }
}
