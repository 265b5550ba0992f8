using System.Net;

namespace EventLoop.Net;

/// <summary>
/// A child's stdin as a write-only transport. Writes are buffered on the loop; a small thread
/// does the blocking pipe writes one chunk at a time and reports back with CallSoonThreadSafe,
/// so the write buffer, its water marks and <see cref="Connection.DrainAsync"/> behave as on a
/// socket. A child that exits while we write makes the next drain throw (broken pipe); nothing
/// crashes.
/// </summary>
internal sealed class PipeWriterTransport : ITransport
{
    private const int ChunkSize = 64 * 1024;
    private static readonly Action<object?> StartCallback = static s => ((PipeWriterTransport)s!).Start();
    private static readonly Action<object?> WrittenCallback = static s => ((PipeWriterTransport)s!).ChunkWritten();
    private static readonly Action<object?> LostCallback = static s => ((PipeWriterTransport)s!).CallConnectionLost();

    private readonly Loop _loop;
    private readonly Stream _pipe;
    private readonly IProtocol _protocol;
    private readonly ByteBuffer _buffer = new();
    private readonly byte[] _chunk = new byte[ChunkSize];
    private readonly SemaphoreSlim _work = new(0, 1);
    private int _chunkLength;          // set by the loop before it signals the writer thread
    private Exception? _writeError;    // set by the writer thread before it posts
    private bool _writerBusy;
    private bool _eofRequested;
    private bool _closing;
    private bool _lostScheduled;
    private bool _protocolPausedWriting;
    private bool _stopWriter;
    private int _high = ITransport.DefaultHighWaterMark;
    private int _low = ITransport.DefaultLowWaterMark;
    private Exception? _lostError;

    public PipeWriterTransport(Loop loop, Stream pipe, IProtocol protocol, string name)
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
    public bool IsReading => false;
    public int WriteBufferSize => _buffer.Count + (_writerBusy ? _chunkLength : 0);

    public void Write(ReadOnlySpan<byte> data)
    {
        if (_eofRequested) throw new InvalidOperationException("The child's stdin is closed: cannot write after WriteEof() or Close().");
        if (data.IsEmpty || _lostScheduled) return; // as sockets: writes to a dead pipe are dropped, DrainAsync reports it
        _buffer.Append(data);
        Pump();
        if (!_protocolPausedWriting && WriteBufferSize > _high)
        {
            _protocolPausedWriting = true;
            _protocol.PauseWriting();
        }
    }

    public void WriteEof() => Close();

    public void Close()
    {
        if (_closing) return;
        _closing = true;
        _eofRequested = true;
        Pump(); // when the buffer is empty this closes the pipe: the child sees end of input
    }

    public void Abort()
    {
        _buffer.Clear();
        _closing = _eofRequested = true;
        ScheduleLost(null);
    }

    public void PauseReading() { }
    public void ResumeReading() { }

    public void SetWriteBufferLimits(int? high = null, int? low = null) => (_high, _low) = WriteLimits.Resolve(high, low);

    private void Start()
    {
        _protocol.ConnectionMade(this);
        _protocol.EofReceived(); // nothing will ever be read from a child's stdin
        new Thread(WriteLoop) { IsBackground = true, Name = $"pipe writer {LocalEndPoint}" }.Start();
        Pump();
    }

    /// <summary>Hands the next chunk to the writer thread when it is idle; closes the pipe once flushed and closing.</summary>
    private void Pump()
    {
        if (_writerBusy || _lostScheduled) return;
        if (_buffer.IsEmpty)
        {
            if (_closing) ScheduleLost(null);
            return;
        }
        _chunkLength = _buffer.Read(_chunk);
        _writerBusy = true;
        _work.Release();
    }

    private void WriteLoop()
    {
        try
        {
            while (true)
            {
                _work.Wait();
                if (Volatile.Read(ref _stopWriter)) return;
                try
                {
                    _pipe.Write(_chunk, 0, _chunkLength);
                    _pipe.Flush();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    _writeError = e; // the child closed its stdin (exited): broken pipe
                }
                if (!_loop.TryPost(WrittenCallback, this)) return;
            }
        }
        finally
        {
            try { _pipe.Dispose(); }
            catch (IOException) { } // flushing into a broken pipe on dispose
        }
    }

    private void ChunkWritten()
    {
        _writerBusy = false;
        if (Volatile.Read(ref _stopWriter))
        {
            _work.Release(); // lost while this chunk was being written: let the thread end
            return;
        }
        if (_writeError is { } error)
        {
            _buffer.Clear();
            ScheduleLost(new IOException("The child process closed its standard input (broken pipe).", error));
            return;
        }
        if (_protocolPausedWriting && WriteBufferSize <= _low)
        {
            _protocolPausedWriting = false;
            _protocol.ResumeWriting();
        }
        Pump();
    }

    private void ScheduleLost(Exception? error)
    {
        if (_lostScheduled) return;
        _lostScheduled = true;
        _closing = _eofRequested = true;
        _lostError = error;
        _loop.CallSoon(LostCallback, this);
    }

    private void CallConnectionLost()
    {
        // Stop the writer thread; it closes the pipe (the child sees end of input).
        Volatile.Write(ref _stopWriter, true);
        if (!_writerBusy && _work.CurrentCount == 0) _work.Release();
        _protocol.ConnectionLost(_lostError);
    }
}
