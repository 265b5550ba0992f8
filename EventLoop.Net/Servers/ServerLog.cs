using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EventLoop.Net;

/// <summary>What servers and accept loops log. Each condition that can repeat per connection is logged once when it starts and once when it ends, never per connection.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "Out of file descriptors accepting on {EndPoint}: new connections are accepted and closed at once until some are free")]
    public static partial void OutOfDescriptors(ILogger logger, EndPoint endPoint);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information,
        Message = "Accepting on {EndPoint} again; {Refused} connections were closed while the process was out of file descriptors")]
    public static partial void DescriptorsFreeAgain(ILogger logger, EndPoint endPoint, long refused);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning,
        Message = "{EndPoint} has {MaxConnections} connections open (ServerOptions.MaxConnections): new connections are closed at once until some finish")]
    public static partial void AtMaxConnections(ILogger logger, EndPoint endPoint, int maxConnections);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information,
        Message = "{EndPoint} takes new connections again; {Refused} were closed while it was at MaxConnections")]
    public static partial void BelowMaxConnections(ILogger logger, EndPoint endPoint, long refused);

    [LoggerMessage(EventId = 105, Level = LogLevel.Debug,
        Message = "A connection on {EndPoint} failed before it was accepted ({Error}); accepting goes on")]
    public static partial void ConnectionFailedBeforeAccept(ILogger logger, EndPoint endPoint, SocketError error);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning,
        Message = "Accepting on {EndPoint} failed ({Error}); trying again in {Delay}")]
    public static partial void AcceptPaused(ILogger logger, EndPoint endPoint, SocketError error, TimeSpan delay);
}
