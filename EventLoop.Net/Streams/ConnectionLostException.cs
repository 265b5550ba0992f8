namespace EventLoop.Net;

/// <summary>What a read or drain of a connection that was lost (reset, broken pipe) throws; the cause is the inner exception.</summary>
internal sealed class ConnectionLostException(Exception? cause) : IOException("The connection was lost.", cause);
