namespace EventLoop;

/// <summary>What a selector watches a socket for, and what it reports as ready.</summary>
[Flags]
public enum SelectorInterest
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>Data (or a pending connection, or end of stream) can be read without blocking.</summary>
    Read = 1,
    /// <summary>Data can be written without blocking, or a pending connect has finished.</summary>
    Write = 2,
    /// <summary>
    /// Requested with Read or Write: also wake on an error condition alone. Socket.Select drops
    /// a socket whose only event is POLLERR from the read list (a UDP socket's pending ICMP
    /// error, for one), so such sockets are watched in the error list too and reported as
    /// ready for whatever they wait on; the waiting call then meets the error.
    /// </summary>
    Error = 8,
    /// <summary>
    /// Reported only: the socket was disposed while still registered and has been dropped from
    /// the selector.
    /// </summary>
    Closed = 4,
}
