using System.Net;

namespace EventLoop.Net;

/// <summary>
/// A child's stdout or stderr as a read-only transport. Pipes cannot be watched by
/// Socket.Select, so a small thread does the blocking reads and hands each chunk to the loop
/// with CallSoonThreadSafe. It reads the next chunk only after the loop has delivered the last
/// one and the protocol is not paused: at most one chunk is in flight, so a child that writes
/// faster than we read blocks on its own pipe instead of filling our memory.
/// </summary>
internal sealed class PipeReaderTransport : ITransport
{
    private const int ChunkSize = 64 * 1024;
    private static readonly Action<object?> StartCallback = static s => ((PipeReaderTransport)s!).Start();
    private static readonly Action<object?> DeliverCallback = static s => ((PipeReaderTransport)s!).Deliver();
    private static readonly Action<object?> LostCallback = static s => ((PipeReaderTransport)s!).CallConnectionLost();

    private readonly Loop _loop;
    private readonly Stream _pipe;
    private readonly IProtocol _protocol;
    private readonly byte[] _chunk = new byte[ChunkSize];
    private readonly SemaphoreSlim _mayRead = new(0, 1);
    private int _chunkLength;          // written by the reader thread before it posts, read by the loop after
    private Exception? _readError;
    private bool _paused;
    private bool _chunkPending;        // delivered chunk waiting for the pause to end before the next read
    private bool _closing;
    private bool _stop;
    private bool _lostScheduled;
    private Exception? _lostError;

    public PipeReaderTransport(Loop loop, Stream pipe, IProtocol protocol, string name)
    {
        _loop = loop;
        _pipe = pipe;
        _protocol = protocol;
        LocalEndPoint = new DnsEndPoint(name, 0);
        loop.CallSoon(StartCallback, this);
    }

    public EndPoint? RemoteEndPoint => LocalEndPoint;
    public EndPoint? LocalEndPoint { get; }
    public bool IsClosing => _closing;
    public bool IsReading => !_paused && !_closing;
    public int WriteBufferSize => 0;

    public void Write(ReadOnlySpan<byte> data) => throw new InvalidOperationException("This pipe is the child's output: it cannot be written to.");
    public void WriteEof() { }
    public void SetWriteBufferLimits(int? high = null, int? low = null) => WriteLimits.Resolve(high, low);

    public void Close()
    {
        if (_closing) return;
        _closing = true;
        ScheduleLost(null);
    }

    public void Abort() => Close();

    public void PauseReading() => _paused = true;

    public void ResumeReading()
    {
        if (!_paused) return;
        _paused = false;
        if (_chunkPending)
        {
            _chunkPending = false;
            _mayRead.Release();
        }
    }

    private void Start()
    {
        _protocol.ConnectionMade(this);
        var thread = new Thread(ReadLoop) { IsBackground = true, Name = $"pipe reader {LocalEndPoint}" };
        thread.Start();
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
                    _readError = _closing ? null : e;
                    n = 0;
                }
                _chunkLength = n;
                if (!_loop.TryPost(DeliverCallback, this) || n == 0) return;
                _mayRead.Wait(); // until the loop has taken this chunk and wants more
                if (Volatile.Read(ref _stop)) return; // closed by us: stop reading (disposing the pipe)
            }
        }
        finally
        {
            _pipe.Dispose();
        }
    }

    private void Deliver()
    {
        if (_lostScheduled) return;
        int n = _chunkLength;
        if (n == 0)
        {
            if (_readError is { } error)
            {
                ScheduleLost(error);
                return;
            }
            bool keepOpen = _protocol.EofReceived();
            _ = keepOpen; // nothing to keep open: a pipe has no write side
            Close();
            return;
        }
        _protocol.DataReceived(_chunk.AsSpan(0, n));
        if (_paused) _chunkPending = true;
        else _mayRead.Release();
    }

    private void ScheduleLost(Exception? error)
    {
        if (_lostScheduled) return;
        _lostScheduled = true;
        _closing = true;
        _lostError = error;
        _loop.CallSoon(LostCallback, this);
    }

    private void CallConnectionLost()
    {
        Volatile.Write(ref _stop, true);
        if (_mayRead.CurrentCount == 0) _mayRead.Release(); // a waiting reader thread ends
        _protocol.ConnectionLost(_lostError);
    }
}
