using System.Net;

namespace EventLoop.Net;

/// <summary>
/// A child's stdin as a write-only <see cref="StreamTransport"/>. Writes are buffered and flushed
/// as on a socket; the "medium" is a small thread doing the blocking pipe writes one chunk at a
/// time and reporting back to the loop, so the water marks and <see cref="Connection.DrainAsync"/>
/// behave as on a socket (a chunk in flight counts as buffered). A child that exits while we
/// write makes the connection lost with a broken pipe: nothing crashes.
/// </summary>
internal sealed class PipeWriterTransport : StreamTransport
{
    private const int ChunkSize = 64 * 1024;
    private static readonly Action<object?> WrittenCallback = static s => ((PipeWriterTransport)s!).OnChunkWritten();

    private readonly Stream _pipe;
    private readonly string _name;
    private readonly byte[] _chunk = new byte[ChunkSize];
    private readonly SemaphoreSlim _work = new(0, 1);
    private int _chunkLength;        // set by the loop before it signals the thread; 0 tells it to end
    private Exception? _writeError;  // set by the thread before it posts
    private int _inFlight;           // bytes the thread is writing
    private bool _stopRequested;
    private Thread? _thread;

    public PipeWriterTransport(Loop loop, Stream pipe, IProtocol protocol, string name) : base(loop, protocol)
    {
        _pipe = pipe;
        _name = name;
        LocalEndPoint = new DnsEndPoint(name, 0);
    }

    public override EndPoint? RemoteEndPoint => LocalEndPoint;

    public override EndPoint? LocalEndPoint { get; }

    public override int WriteBufferSize => base.WriteBufferSize + _inFlight;

    protected override string PeerName => _name;

    protected override void OnStarted()
    {
        DeliverEof(); // nothing will ever be read from a child's stdin
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = $"pipe writer {_name}" };
        _thread.Start();
    }

    protected override void StartReadingCore()
    {
    }

    protected override void StopReadingCore()
    {
    }

    protected override int Send(ReadOnlySpan<byte> data)
    {
        if (_inFlight > 0) return 0; // busy: its report resumes the flush
        int n = Math.Min(ChunkSize, data.Length);
        data[..n].CopyTo(_chunk);
        _inFlight = _chunkLength = n;
        _work.Release();
        return n;
    }

    protected override void WaitWritable(bool on)
    {
        // Nothing to register: the thread reports every chunk it has written.
    }

    /// <summary>The child sees end of input once the chunk in flight is written: the thread closes the pipe.</summary>
    protected override void ShutdownSend() => RequestStop();

    protected override void ReleaseResources() => RequestStop();

    private void RequestStop()
    {
        if (_stopRequested) return;
        _stopRequested = true;
        if (_thread is null)
        {
            if (IsLost) DisposePipe(); // it will never start
            return;
        }
        if (_inFlight == 0) StopThread(); // else OnChunkWritten stops it
    }

    private void StopThread()
    {
        _chunkLength = 0;
        _work.Release();
    }

    private void WriteLoop()
    {
        try
        {
            while (true)
            {
                _work.Wait();
                int n = _chunkLength;
                if (n == 0) return;
                try
                {
                    _pipe.Write(_chunk, 0, n);
                    _pipe.Flush();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    _writeError = e; // the child closed its stdin (exited): broken pipe
                }
                if (!Loop.TryPost(WrittenCallback, this)) return;
            }
        }
        finally
        {
            DisposePipe();
        }
    }

    private void DisposePipe()
    {
        try { _pipe.Dispose(); }
        catch (IOException) { } // flushing into a broken pipe on dispose
    }

    private void OnChunkWritten()
    {
        _inFlight = 0;
        if (_stopRequested) StopThread();
        if (_writeError is { } error)
        {
            _writeError = null;
            Fail(new IOException("The child process closed its standard input (broken pipe).", error));
            return;
        }
        OnWritable();
    }
}
