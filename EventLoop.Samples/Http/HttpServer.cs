using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Http;

/// <summary>
/// What the connections of one <c>http</c> server share: limits, counters, the cached Date line,
/// and a heartbeat. Once a second the heartbeat refreshes the Date line and checks every
/// connection's deadline (Kestrel's design): a request costs one field write per deadline, not a
/// timer.
/// </summary>
internal sealed partial class HttpServer
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);
    private readonly List<HttpConnection> _connections = new();
    private readonly Action _beat;
    private TimerHandle? _heartbeat;

    public HttpServer(Loop loop, HttpLimits limits, ILogger log)
    {
        Loop = loop;
        Limits = limits;
        Log = log;
        HeaderTimeout = Ticks(limits.HeaderTimeout);
        IdleTimeout = Ticks(limits.IdleTimeout);
        _beat = Beat;
        Date.Refresh(loop.TimeProvider.GetUtcNow());
    }

    public Loop Loop { get; }
    public HttpLimits Limits { get; }
    public ILogger Log { get; }
    public HttpDate Date { get; } = new();
    public HttpStats Stats { get; } = new();

    /// <summary>The listening server, once started (for /stats).</summary>
    public Server? Listener { get; set; }

    /// <summary>The timeouts in the loop's timestamp units.</summary>
    public long HeaderTimeout { get; }

    /// <inheritdoc cref="HeaderTimeout"/>
    public long IdleTimeout { get; }

    /// <summary>The stream handler: serves one connection until it closes.</summary>
    public LoopTask HandleAsync(Connection connection) => new HttpConnection(this, connection).RunAsync();

    /// <summary>Starts the heartbeat.</summary>
    public void Start() => _heartbeat ??= Loop.CallLater(HeartbeatInterval, _beat);

    /// <summary>Stops the heartbeat (at shutdown: the server's own close ends the connections).</summary>
    public void Stop()
    {
        _heartbeat?.Cancel();
        _heartbeat = null;
    }

    internal void Track(HttpConnection connection)
    {
        connection.Index = _connections.Count;
        _connections.Add(connection);
        Stats.ConnectionsAccepted++;
        Stats.ConnectionsOpen++;
    }

    internal void Untrack(HttpConnection connection)
    {
        // Swap with the last: O(1), and the order of the sweep does not matter.
        var last = _connections[^1];
        _connections[connection.Index] = last;
        last.Index = connection.Index;
        _connections.RemoveAt(_connections.Count - 1);
        Stats.ConnectionsOpen--;
    }

    private void Beat()
    {
        Date.Refresh(Loop.TimeProvider.GetUtcNow());
        long now = Loop.Now;
        // Backwards: a connection that times out may leave the list (and swap the last one in) at once.
        for (int i = _connections.Count - 1; i >= 0; i--)
        {
            if (i < _connections.Count && _connections[i].IsOverdue(now))
            {
                Stats.TimedOut++;
                _connections[i].TimeOut();
            }
        }
        _heartbeat = Loop.CallLater(HeartbeatInterval, _beat);
    }

    private long Ticks(TimeSpan timeout) => (long)(timeout.TotalSeconds * Loop.TimeProvider.TimestampFrequency);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {Peer} timed out ({Phase})")]
    internal static partial void LogTimedOut(ILogger log, string peer, ConnectionPhase phase);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {Peer} was lost: {Reason}")]
    internal static partial void LogConnectionLost(ILogger log, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answered {Peer} with {Status}: {Detail}")]
    internal static partial void LogRequestRefused(ILogger log, string peer, int status, string? detail);
}
