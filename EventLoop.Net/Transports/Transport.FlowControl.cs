namespace EventLoop.Net;

internal abstract partial class Transport
{
    private int _highWaterMark = ITransport.DefaultHighWaterMark;
    private int _lowWaterMark = ITransport.DefaultLowWaterMark;
    private bool _writingPaused;

    /// <summary>Bytes written and not yet handed to the medium.</summary>
    public abstract int WriteBufferSize { get; }

    /// <summary>True between PauseWriting and ResumeWriting: the write buffer went above the high-water mark.</summary>
    internal bool IsWritingPaused => _writingPaused;

    /// <summary>The high-water mark: above it the protocol is told to pause writing.</summary>
    internal int HighWaterMark => _highWaterMark;

    /// <summary>The low-water mark: at or below it the protocol is told to resume.</summary>
    internal int LowWaterMark => _lowWaterMark;

    /// <summary>
    /// Sets the water marks; only one given, the other follows asyncio's rule (low = high / 4,
    /// high = 4 × low).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not high ≥ low ≥ 0.</exception>
    public void SetWriteBufferLimits(int? high = null, int? low = null)
    {
        Loop.CheckThread();
        int h = high ?? (low is { } l ? 4 * l : ITransport.DefaultHighWaterMark);
        int lo = low ?? h / 4;
        if (lo < 0 || h < lo)
            throw new ArgumentOutOfRangeException(nameof(high), $"Write buffer limits must satisfy high ({h}) >= low ({lo}) >= 0.");
        (_highWaterMark, _lowWaterMark) = (h, lo);
        MaybePauseProtocol();
    }

    /// <summary>
    /// Pauses writing once the buffer is above the high-water mark. The protocol hears of it at
    /// once, or right after ConnectionMade when that has not run yet (nothing is sent before, so
    /// the pause cannot end earlier).
    /// </summary>
    protected void MaybePauseProtocol()
    {
        if (_writingPaused || _lost || WriteBufferSize <= _highWaterMark) return;
        _writingPaused = true;
        if (_started) TellProtocolToPause();
    }

    private void TellProtocolToPause()
    {
        try { CallPauseWriting(); }
        catch (Exception e) { ProtocolFailed(e, "PauseWriting"); }
    }

    /// <summary>Tells a paused protocol to resume once the buffer is at the low-water mark or below.</summary>
    protected void MaybeResumeProtocol()
    {
        if (!_writingPaused || _lost || WriteBufferSize > _lowWaterMark) return;
        _writingPaused = false;
        try { CallResumeWriting(); }
        catch (Exception e) { ProtocolFailed(e, "ResumeWriting"); }
    }

    protected abstract void CallPauseWriting();

    protected abstract void CallResumeWriting();
}
