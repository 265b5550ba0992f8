namespace EventLoop.Net;

/// <summary>
/// A connection is also an <see cref="ITransport"/>, so code shared by stream handlers and
/// protocols (a chat room writing to every member, say) can take either. Through this view the
/// transport underneath stays the connection's own: pausing reading here is a request the
/// connection combines with its read-ahead bound, never a change behind its back.
/// </summary>
public sealed partial class Connection : ITransport
{
    private bool _readingPausedByUser;

    /// <summary>True unless reading is paused (by the read-ahead bound or <see cref="ITransport.PauseReading"/>), the input ended, or the connection is closing.</summary>
    bool ITransport.IsReading => _transport?.IsReading ?? false;

    /// <summary>Same as <see cref="ShutdownWrite"/>.</summary>
    void ITransport.WriteEof() => ShutdownWrite();

    /// <summary>Stops taking data from the peer until <see cref="ITransport.ResumeReading"/>; unread bytes stay buffered.</summary>
    void ITransport.PauseReading()
    {
        _loop.CheckThread();
        _readingPausedByUser = true;
        Transport.PauseReading();
    }

    /// <summary>Takes data again after <see cref="ITransport.PauseReading"/>, unless the read-ahead bound still holds reading back.</summary>
    void ITransport.ResumeReading()
    {
        _loop.CheckThread();
        _readingPausedByUser = false;
        if (Transport.IsReadingPaused && _buffer.Count < 2 * Limit) Transport.ResumeReading();
    }
}
