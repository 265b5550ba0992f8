using System.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples;

/// <summary>Log lines about one client that every server sample may write (source-generated).</summary>
internal static partial class ClientLog
{
    /// <summary>A reset or a broken connection: normal on a network, so Debug, not an error.</summary>
    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {Peer} went away: {Reason}")]
    public static partial void WentAway(ILogger log, EndPoint? peer, string reason);
}
