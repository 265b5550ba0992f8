using System.Diagnostics;
using System.Net;

namespace EventLoop.Net;

/// <summary>
/// A child's stdout or stderr as a read-only <see cref="StreamTransport"/>. Pipes cannot be
/// watched by the selector, so a small thread does the blocking reads and hands each chunk to the
/// loop. It reads the next chunk only once the loop has delivered the last one: at most one chunk
/// is in flight, so a child that writes faster than we read blocks on its own pipe instead of
/// filling our memory. A chunk is delivered in pieces no larger than the protocol's read-ahead
/// allows, and only while reading is not paused.
/// </summary>
internal sealed class PipeReaderTransport : StreamTransport
{
    private const int ChunkSize = 64 * 1024;
    private static readonly Action<object?> ChunkReadCallback = static s => ((PipeReaderTransport)s!).OnChunkRead();
    private static readonly Action<object?> DeliverCallback = static s => ((PipeReaderTransport)s!).DeliverPiece();

    private readonly Stream _pipe;
    private readonly string _name;
    private readonly byte[] _chunk = new byte[ChunkSize];
    private readonly SemaphoreSlim _mayRead = new(0, 1);
    private int _chunkLength;       // written by the reader thread before it posts, read by the loop after
    private Exception? _readError;  // likewise
    private int _delivered;         // of the chunk the loop holds
    private bool _holdingChunk;
    private bool _readingActive;
    private bool _deliveryScheduled;
    private Thread? _thread;
    private volatile bool _stop;

    public PipeReaderTransport(Loop loop, Stream pipe, IProtocol protocol, string name)
        : base(loop, protocol, writeRefusal: "This pipe is the child's output: it cannot be written to.")
    {
        _pipe = pipe;
        _name = name;
        LocalEndPoint = new DnsEndPoint(name, 0);
    }

    public override EndPoint? RemoteEndPoint => LocalEndPoint;

    public override EndPoint? LocalEndPoint { get; }

    protected override string PeerName => _name;

    protected override void OnStarted()
    {
        _thread = new Thread(ReadLoop) { IsBackground = true, Name = $"pipe reader {_name}" };
        _thread.Start();
    }

    protected override void StartReadingCore()
    {
        _readingActive = true;
        ScheduleDelivery();
    }

    protected override void StopReadingCore() => _readingActive = false;

    protected override int Send(ReadOnlySpan<byte> data) => throw new UnreachableException("Writes to an output pipe are refused before they are buffered.");

    protected override void WaitWritable(bool on)
    {
    }

    protected override void ShutdownSend()
    {
    }

    protected override void ReleaseResources()
    {
        _stop = true;
        if (_thread is null) _pipe.Dispose(); // never started
        else if (_mayRead.CurrentCount == 0) _mayRead.Release(); // a thread waiting for the go-ahead ends
    }

    private void ReadLoop()
    {
        try
        {
            while (true)
            {
                int n;
                try
                {
                    n = _pipe.Read(_chunk, 0, ChunkSize);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    _readError = _stop ? null : e;
                    n = 0;
                }
                _chunkLength = n;
                if (!Loop.TryPost(ChunkReadCallback, this) || n == 0) return;
                _mayRead.Wait(); // until the loop has delivered this chunk and wants more
                if (_stop) return;
            }
        }
        finally
        {
            _pipe.Dispose();
        }
    }

    private void OnChunkRead()
    {
        if (IsLost) return;
        _holdingChunk = true;
        _delivered = 0;
        DeliverPiece();
    }

    private void ScheduleDelivery()
    {
        if (_deliveryScheduled || !_holdingChunk || !_readingActive) return;
        _deliveryScheduled = true;
        Loop.CallSoon(DeliverCallback, this);
    }

    /// <summary>One read's worth of the chunk held, as a socket's readable event would deliver.</summary>
    private void DeliverPiece()
    {
        _deliveryScheduled = false;
        if (!_holdingChunk || !_readingActive || IsLost) return;
        if (_chunkLength == 0)
        {
            _holdingChunk = false;
            if (_readError is { } error) Fail(error);
            else DeliverEof();
            return;
        }
        int n = Math.Min(_chunkLength - _delivered, MaxReceiveSize);
        DeliverData(_chunk.AsSpan(_delivered, n));
        _delivered += n;
        if (_delivered < _chunkLength)
        {
            ScheduleDelivery();
            return;
        }
        _holdingChunk = false;
        if (!IsLost) _mayRead.Release();
    }
}
