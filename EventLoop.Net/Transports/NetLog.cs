using Microsoft.Extensions.Logging;

namespace EventLoop.Net;

/// <summary>The Net layer's log messages (source-generated). Resets and ends of stream are normal: Debug.</summary>
internal static partial class NetLog
{
    /// <summary>
    /// The logger for transports and stream handlers. The loop's own logger until Core offers a
    /// logger factory, when this becomes the "EventLoop.Net.Transport" category.
    /// </summary>
    public static ILogger For(Loop loop) => loop.Logger;

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Connection to {Peer} failed: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, object peer, string reason, Exception error);

    [LoggerMessage(EventId = 202, Level = LogLevel.Debug, Message = "The handler for {Peer} ended because the connection was lost: {Reason}")]
    public static partial void HandlerEndedByConnectionLoss(ILogger logger, object? peer, string reason);
}
