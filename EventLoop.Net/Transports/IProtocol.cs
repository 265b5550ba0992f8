namespace EventLoop.Net;

/// <summary>
/// Callback-style connection logic (asyncio's Protocol, Twisted's): the transport calls these on
/// the loop thread. <see cref="ConnectionMade"/> comes first, <see cref="ConnectionLost"/> last and
/// exactly once, never from inside a <see cref="ITransport.Write"/> or <see cref="ITransport.Close"/>
/// call. An exception thrown from any of them goes to <see cref="Loop.ReportException"/> with the
/// peer and closes that connection only, as <see cref="ITransport.Close"/> does (what was written is
/// still sent); <see cref="ConnectionLost"/> then receives the exception.
/// </summary>
public interface IProtocol
{
    /// <summary>The connection is up; keep <paramref name="transport"/> to write to it.</summary>
    void ConnectionMade(ITransport transport);

    /// <summary>Bytes arrived. The span is only valid during the call: copy what you keep.</summary>
    void DataReceived(ReadOnlySpan<byte> data);

    /// <summary>
    /// The peer closed its sending side. Return true to keep our side open for writing
    /// (half-close; close it yourself later), false to close the transport.
    /// </summary>
    bool EofReceived() => false;

    /// <summary>The connection is closed: null for a normal close, else the error that ended it.</summary>
    void ConnectionLost(Exception? error);

    /// <summary>The transport's write buffer went above its high-water mark: stop writing until <see cref="ResumeWriting"/>.</summary>
    void PauseWriting()
    {
    }

    /// <summary>The write buffer drained to its low-water mark.</summary>
    void ResumeWriting()
    {
    }
}
