using System.Net;

namespace EventLoop.Net;

/// <summary>
/// A byte-stream transport over <see cref="IProtocol"/>: the write path and the read delivery
/// every stream medium shares (socket, memory pair, pipes; TLS later).
/// </summary>
/// <remarks>
/// <para><b>Writes coalesce.</b> <see cref="Write"/> appends to the write buffer; the buffer is
/// flushed once, at the end of the iteration (<see cref="Loop.CallAtIterationEnd"/>), with one
/// send for everything written meanwhile. What the medium does not take waits for it to become
/// writable (no flush is scheduled meanwhile). A transport with nothing to send costs nothing.</para>
/// <para><b>Ordering with close.</b> Close, and WriteEof, take effect after everything written
/// before them has been sent; Abort drops it — including what was written earlier in the same
/// iteration. After Close or Abort, or once the connection is lost, writes are dropped silently;
/// after WriteEof a write is a programming error and throws.</para>
/// </remarks>
internal abstract class StreamTransport : Transport, ITransport
{
    private static readonly Action<object?> FlushCallback = static state => ((StreamTransport)state!).Flush();

    private readonly IProtocol _protocol;
    private readonly IReadAheadBound? _readAheadBound;
    private readonly ByteBuffer _writeBuffer = new();
    private readonly string? _writeRefusal;
    private bool _flushScheduled;   // registered for the end of this iteration
    private bool _waitingWritable;  // the medium was full: its writable event resumes the flush
    private bool _eofRequested;     // WriteEof: shut down sending once the buffer is out
    private bool _eofSent;

    /// <param name="loop">The loop.</param>
    /// <param name="protocol">Who gets the bytes.</param>
    /// <param name="writeRefusal">Set for a read-only medium: the message a write throws with.</param>
    protected StreamTransport(Loop loop, IProtocol protocol, string? writeRefusal = null) : base(loop)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        _protocol = protocol;
        _readAheadBound = protocol as IReadAheadBound;
        _writeRefusal = writeRefusal;
    }

    /// <inheritdoc />
    public abstract EndPoint? RemoteEndPoint { get; }

    /// <inheritdoc />
    public abstract EndPoint? LocalEndPoint { get; }

    /// <inheritdoc />
    public override int WriteBufferSize => _writeBuffer.Count;

    /// <summary>The most bytes one read may hand the protocol now (a <see cref="Connection"/> bounds its read-ahead).</summary>
    protected int MaxReceiveSize =>
        _readAheadBound is { } bound ? Math.Clamp(bound.RemainingReadAhead, 1, SharedReadBuffer.Size) : SharedReadBuffer.Size;

    protected override string ProtocolName => _protocol.GetType().Name;

    /// <summary>Queues <paramref name="data"/> to be sent at the end of this iteration (copied now).</summary>
    /// <exception cref="InvalidOperationException">After <see cref="WriteEof"/>, or on a read-only medium.</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        Loop.CheckThread();
        if (_writeRefusal is not null) throw new InvalidOperationException(_writeRefusal);
        if (IsClosing) return; // the documented rule: dropped silently once closing or lost
        if (_eofRequested) throw new InvalidOperationException("Cannot write after WriteEof().");
        if (data.IsEmpty) return;
        _writeBuffer.Append(data);
        if (!_flushScheduled && !_waitingWritable)
        {
            _flushScheduled = true;
            Loop.CallAtIterationEnd(FlushCallback, this);
        }
        MaybePauseProtocol();
    }

    /// <summary>Closes our sending side once everything written before is sent; reading goes on.</summary>
    public void WriteEof()
    {
        Loop.CheckThread();
        if (_eofRequested || IsClosing) return;
        _eofRequested = true;
        if (_writeBuffer.IsEmpty && IsStarted) SendEof();
        // else: the flush that empties the buffer sends it.
    }

    /// <summary>
    /// Hands the buffer to the medium: until it is empty or the medium takes less than offered
    /// (then wait for its writable event). Runs at the end of an iteration, and on writable events.
    /// </summary>
    protected void SendBuffered()
    {
        while (!_writeBuffer.IsEmpty)
        {
            var pending = _writeBuffer.Span;
            int sent = Send(pending);
            if (sent < 0) return; // the medium failed and has force-closed us
            _writeBuffer.Consume(sent);
            MaybeResumeProtocol();
            if (sent < pending.Length)
            {
                if (IsLost) return;
                if (!_waitingWritable)
                {
                    _waitingWritable = true;
                    WaitWritable(true);
                }
                return;
            }
        }
        if (_waitingWritable)
        {
            _waitingWritable = false;
            WaitWritable(false);
        }
        if (_eofRequested) SendEof();
        if (WriteBufferSize == 0) WriteBufferDrained(); // a medium may still count bytes in flight
    }

    /// <summary>The medium has room again (a socket's writable event, a pipe's written chunk).</summary>
    protected void OnWritable()
    {
        if (IsLost) return;
        if (!_writeBuffer.IsEmpty)
        {
            SendBuffered();
            return;
        }
        // Bytes the medium counted as still in flight have left.
        MaybeResumeProtocol();
        if (WriteBufferSize == 0) WriteBufferDrained();
    }

    /// <summary>Hands <paramref name="data"/> to the protocol; an exception closes this transport (the policy).</summary>
    protected void DeliverData(ReadOnlySpan<byte> data)
    {
        try { _protocol.DataReceived(data); }
        catch (Exception e) { ProtocolFailed(e, "DataReceived"); }
    }

    /// <summary>The peer finished sending: tell the protocol, and close unless it keeps the connection half-open.</summary>
    protected void DeliverEof()
    {
        InputEnded();
        bool keepOpen;
        try { keepOpen = _protocol.EofReceived(); }
        catch (Exception e)
        {
            ProtocolFailed(e, "EofReceived");
            return;
        }
        if (!keepOpen) Close();
    }

    /// <summary>The medium broke (reset, broken pipe): a normal event, logged at Debug; close at once and tell the protocol why.</summary>
    protected void Fail(Exception error)
    {
        NetLog.ConnectionFailed(NetLog.For(Loop), this, error.Message, error);
        ForceClose(error);
    }

    private void Flush()
    {
        _flushScheduled = false;
        if (IsStarted && !IsLost && !_waitingWritable) SendBuffered(); // not started: BeginSending flushes
    }

    protected override void BeginSending()
    {
        if (_writeBuffer.IsEmpty)
        {
            if (_eofRequested) SendEof();
            return;
        }
        if (_flushScheduled || _waitingWritable) return;
        _flushScheduled = true;
        Loop.CallAtIterationEnd(FlushCallback, this);
    }

    private void SendEof()
    {
        if (_eofSent) return;
        _eofSent = true;
        ShutdownSend();
    }

    protected override void DiscardWriteBuffer()
    {
        _writeBuffer.Clear();
        if (!_waitingWritable) return;
        _waitingWritable = false;
        WaitWritable(false);
    }

    protected override void CallConnectionMade() => _protocol.ConnectionMade(this);

    protected override void CallProtocolConnectionLost(Exception? error) => _protocol.ConnectionLost(error);

    protected override void CallPauseWriting() => _protocol.PauseWriting();

    protected override void CallResumeWriting() => _protocol.ResumeWriting();

    // The medium.

    /// <summary>Offers <paramref name="data"/>; returns how much it took (less than offered: it is full), or -1 after calling <see cref="Fail"/>.</summary>
    protected abstract int Send(ReadOnlySpan<byte> data);

    /// <summary>Starts (true) or stops (false) waiting for room to send; room arrives as <see cref="OnWritable"/>.</summary>
    protected abstract void WaitWritable(bool on);

    /// <summary>Ends our sending side (TCP FIN), everything written having been sent.</summary>
    protected abstract void ShutdownSend();
}
