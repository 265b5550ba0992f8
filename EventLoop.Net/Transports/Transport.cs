namespace EventLoop.Net;

/// <summary>
/// What every transport does the same way (asyncio's <c>_SelectorTransport</c> with its
/// <c>_FlowControlMixin</c>), so socket, datagram, memory, pipe — and later TLS and simulated —
/// transports differ only in how bytes move:
/// <list type="bullet">
/// <item><b>Lifecycle.</b> ConnectionMade runs first, in a later iteration than the one that
/// created the transport; ConnectionLost runs last, exactly once, always queued (never inside a
/// Write, Close or Abort call), and only after ConnectionMade, even when the transport closed
/// before it had started.</item>
/// <item><b>Write flow control.</b> PauseWriting once the write buffer goes above the high-water
/// mark, ResumeWriting once it is back at the low one (64 KiB / 16 KiB by default).</item>
/// <item><b>Reading pause.</b> One flag, here: whoever pauses, the transport knows.</item>
/// <item><b>Closing.</b> Close stops reading and lets the write buffer drain first; Abort drops
/// it. Once closing, writes are dropped silently (<see cref="IsClosing"/> tells).</item>
/// <item><b>Protocol code that throws</b> is reported through <see cref="Loop.ReportException"/>
/// with the peer, and that transport is closed as by Close (what was already written still goes
/// out); ConnectionLost then receives the exception. An exception from ConnectionLost is only
/// reported.</item>
/// </list>
/// Loop thread only: every operation checks the thread first.
/// </summary>
internal abstract partial class Transport
{
    private static readonly Action<object?> StartCallback = static state => ((Transport)state!).Start();
    private static readonly Action<object?> LostCallback = static state => ((Transport)state!).CallConnectionLost();

    private LoopFuture<bool>? _made;
    private bool _started;
    private bool _closing;
    private bool _lost;            // ConnectionLost is queued (or has run): the transport is finished
    private bool _lostAfterStart;  // lost before ConnectionMade ran: queue it right after
    private Exception? _lostError;
    private bool _reading;         // the medium is delivering reads
    private bool _readingPaused;
    private bool _inputEnded;      // end of input seen: reading never resumes

    protected Transport(Loop loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        loop.CheckThread();
        Loop = loop;
        loop.CallSoon(StartCallback, this);
    }

    protected Loop Loop { get; }

    /// <summary>True once Close or Abort was called or the connection was lost.</summary>
    public bool IsClosing => _closing;

    /// <summary>True once ConnectionMade has run: nothing is sent, and no other protocol callback made, before.</summary>
    protected bool IsStarted => _started;

    /// <summary>True once ConnectionLost is queued: nothing more will be sent or received.</summary>
    protected bool IsLost => _lost;

    /// <summary>True while reading is paused (by <see cref="PauseReading"/>), whatever else stopped it.</summary>
    internal bool IsReadingPaused => _readingPaused;

    /// <summary>True unless reading is paused, the input ended, or the transport is closing.</summary>
    public bool IsReading => _reading;

    /// <summary>For logs and reports: who is at the other end.</summary>
    protected abstract string PeerName { get; }

    /// <summary>The protocol's type name, for reports.</summary>
    protected abstract string ProtocolName { get; }

    /// <inheritdoc />
    public override string ToString() => PeerName;

    /// <summary>Completes once ConnectionMade has run (whatever it did): what the connecting factories return after.</summary>
    internal LoopTask WhenConnectionMadeAsync()
    {
        if (_started) return LoopTask.CompletedTask;
        _made ??= Loop.CreateFuture<bool>();
        return _made.Task;
    }

    /// <summary>Stops delivering data until <see cref="ResumeReading"/>; the medium buffers meanwhile.</summary>
    public void PauseReading()
    {
        Loop.CheckThread();
        if (_closing || _readingPaused) return;
        _readingPaused = true;
        StopReading();
    }

    /// <summary>Starts delivering data again after <see cref="PauseReading"/>.</summary>
    public void ResumeReading()
    {
        Loop.CheckThread();
        if (_closing || !_readingPaused) return;
        _readingPaused = false;
        if (_started) StartReading();
    }

    /// <summary>Stops reading and closes once the write buffer has drained; ConnectionLost follows with null.</summary>
    public void Close()
    {
        Loop.CheckThread();
        if (_closing) return;
        _closing = true;
        StopReading();
        if (WriteBufferSize == 0) ScheduleConnectionLost(null);
        // else: the flush that empties the buffer finishes the close (WriteBufferDrained).
    }

    /// <summary>Closes at once, dropping the write buffer (a TCP connection is reset).</summary>
    public void Abort()
    {
        Loop.CheckThread();
        if (_lost) return;
        OnAborting();
        ForceClose(null);
    }

    /// <summary>Called by the medium when everything written has left: a pending close completes.</summary>
    protected void WriteBufferDrained()
    {
        if (_closing) ScheduleConnectionLost(null);
    }

    /// <summary>The medium ended the input (end of stream, or nothing to read ever): reading stops for good.</summary>
    protected void InputEnded()
    {
        _inputEnded = true;
        StopReading();
    }

    /// <summary>Closes at once: drops the write buffer, stops reading, queues ConnectionLost with <paramref name="error"/>.</summary>
    protected void ForceClose(Exception? error)
    {
        if (_lost) return;
        _closing = true;
        DiscardWriteBuffer();
        StopReading();
        ScheduleConnectionLost(error);
    }

    /// <summary>The policy for protocol code that threw: report it with the peer, close this transport as Close does.</summary>
    protected void ProtocolFailed(Exception error, string callback)
    {
        Loop.ReportException(new LoopExceptionContext($"Protocol {callback} threw; closing the connection", error, $"{ProtocolName} for {PeerName}"));
        if (callback == "ConnectionLost") return;
        _lostError ??= error;
        if (!_closing) Close();
    }

    private void Start()
    {
        _started = true;
        try { CallConnectionMade(); }
        catch (Exception e) { ProtocolFailed(e, "ConnectionMade"); }
        _made?.TrySetResult(true);
        if (_lostAfterStart)
        {
            Loop.CallSoon(LostCallback, this);
            return;
        }
        if (_writingPaused) TellProtocolToPause(); // written above the mark before ConnectionMade
        OnStarted(); // even when closing: what was written before must still go out
        StartReading();
        BeginSending();
    }

    private void StartReading()
    {
        if (_reading || _readingPaused || _closing || _inputEnded) return;
        _reading = true;
        StartReadingCore();
    }

    private void StopReading()
    {
        if (!_reading) return;
        _reading = false;
        StopReadingCore();
    }

    private void ScheduleConnectionLost(Exception? error)
    {
        if (_lost) return;
        _lost = true;
        _closing = true;
        _lostError ??= error;
        StopReading();
        if (_started) Loop.CallSoon(LostCallback, this);
        else _lostAfterStart = true;
    }

    private void CallConnectionLost()
    {
        try
        {
            CallProtocolConnectionLost(_lostError);
        }
        catch (Exception e)
        {
            ProtocolFailed(e, "ConnectionLost");
        }
        finally
        {
            DiscardWriteBuffer();
            ReleaseResources();
        }
    }

    // The protocol: each transport kind calls its own interface.
    protected abstract void CallConnectionMade();

    protected abstract void CallProtocolConnectionLost(Exception? error);

    // The medium.

    /// <summary>After ConnectionMade, before reading starts (start a pipe's thread, for example).</summary>
    protected virtual void OnStarted()
    {
    }

    /// <summary>After ConnectionMade and <see cref="OnStarted"/>: send what was written before.</summary>
    protected virtual void BeginSending()
    {
    }

    protected abstract void StartReadingCore();

    protected abstract void StopReadingCore();

    /// <summary>Abort is about to close: make it abrupt where the medium can (a TCP reset).</summary>
    protected virtual void OnAborting()
    {
    }

    /// <summary>Drops what is buffered for sending and stops waiting to send it.</summary>
    protected abstract void DiscardWriteBuffer();

    /// <summary>After ConnectionLost: close the socket, stop threads, tell the owner.</summary>
    protected abstract void ReleaseResources();
}
