using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EventLoop.Net;

/// <summary>What one attempt to accept gave.</summary>
internal enum AcceptResult
{
    /// <summary>A connection, ready to serve.</summary>
    Accepted,

    /// <summary>Nothing pending: wait until the listener is readable again.</summary>
    Empty,

    /// <summary>Nothing to serve, but more may be pending: try again (a connection that failed before it was accepted, or ones closed for lack of descriptors).</summary>
    Skipped,

    /// <summary>The system is short of resources and the pending connections could not be refused: stop trying for <see cref="Acceptor.PauseAfterShortage"/>.</summary>
    Paused,
}

/// <summary>
/// The accept policy every accept loop shares (<see cref="Server"/> and
/// <see cref="SocketAwaits.AcceptAsync"/>): one non-blocking accept at a time; errors that concern
/// one connection are skipped; running out of descriptors refuses the pending connections through
/// the <see cref="DescriptorReserve"/> instead of leaving them queued. Only a listener that is
/// itself broken (closed, not listening) throws. Loop thread only.
/// </summary>
internal sealed class Acceptor
{
    /// <summary>Connections accepted per readiness event at most, so one busy listener cannot hog an iteration (asyncio accepts up to its backlog, 100).</summary>
    public const int Batch = 100;

    /// <summary>How long accepting rests when the system is short of memory or descriptors and nothing could be refused.</summary>
    public static readonly TimeSpan PauseAfterShortage = TimeSpan.FromMilliseconds(100);

    private readonly Socket _listener;
    private readonly EndPoint _endPoint;
    private readonly ILogger _log;
    private long _refusedForDescriptors = -1; // -1: not out of descriptors

    public Acceptor(Socket listener, ILogger log)
    {
        _listener = listener;
        _endPoint = listener.LocalEndPoint!;
        _log = log;
        DescriptorReserve.Ensure();
    }

    /// <summary>Accepts one connection; <paramref name="accepted"/> is set only with <see cref="AcceptResult.Accepted"/>.</summary>
    /// <exception cref="SocketException">The listener itself is broken (not listening, for example).</exception>
    /// <exception cref="ObjectDisposedException">The listener was closed.</exception>
    public AcceptResult TryAccept(out Socket? accepted)
    {
        accepted = null;
        try
        {
            accepted = _listener.Accept();
        }
        catch (SocketException e) when (IsRecoverable(e.SocketErrorCode))
        {
            return OnFailure(e);
        }
        if (_refusedForDescriptors >= 0)
        {
            ServerLog.DescriptorsFreeAgain(_log, _endPoint, _refusedForDescriptors);
            _refusedForDescriptors = -1;
        }
        try
        {
            accepted.Blocking = false;
            if (accepted.ProtocolType == ProtocolType.Tcp) accepted.NoDelay = true;
        }
        catch (SocketException e)
        {
            // Reset between the accept and these calls: one connection's failure.
            accepted.Dispose();
            accepted = null;
            ServerLog.ConnectionFailedBeforeAccept(_log, _endPoint, e.SocketErrorCode);
            return AcceptResult.Skipped;
        }
        return AcceptResult.Accepted;
    }

    /// <summary>Errors that leave the listener usable: nothing pending, a shortage, or (per accept(2)) a pending connection's own failure.</summary>
    private static bool IsRecoverable(SocketError error) => error is SocketError.WouldBlock or SocketError.TooManyOpenSockets
        or SocketError.NoBufferSpaceAvailable or SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.TimedOut
        or SocketError.NetworkDown or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.HostUnreachable
        or SocketError.ProtocolOption or SocketError.ProtocolNotSupported or SocketError.OperationNotSupported;

    private AcceptResult OnFailure(SocketException e)
    {
        switch (e.SocketErrorCode)
        {
            case SocketError.WouldBlock:
                return AcceptResult.Empty;
            case SocketError.TooManyOpenSockets:
                return RefuseForLackOfDescriptors(e);
            case SocketError.NoBufferSpaceAvailable:
                ServerLog.AcceptPaused(_log, _endPoint, e.SocketErrorCode, PauseAfterShortage);
                return AcceptResult.Paused;
            default:
                ServerLog.ConnectionFailedBeforeAccept(_log, _endPoint, e.SocketErrorCode);
                return AcceptResult.Skipped;
        }
    }

    private AcceptResult RefuseForLackOfDescriptors(SocketException e)
    {
        if (_refusedForDescriptors < 0)
        {
            ServerLog.OutOfDescriptors(_log, _endPoint);
            _refusedForDescriptors = 0;
        }
        int refused = DescriptorReserve.AcceptAndClose(_listener, Batch);
        if (refused < 0)
        {
            ServerLog.AcceptPaused(_log, _endPoint, e.SocketErrorCode, PauseAfterShortage);
            return AcceptResult.Paused;
        }
        _refusedForDescriptors += refused;
        return AcceptResult.Skipped;
    }
}
