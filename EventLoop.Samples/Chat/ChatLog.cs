using System.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Chat;

/// <summary>The chat's log lines (source-generated).</summary>
internal static partial class ChatLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} joined from {Peer}")]
    public static partial void Joined(ILogger log, string name, EndPoint? peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} left")]
    public static partial void Left(ILogger log, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disconnecting {Name} ({Peer}): slow consumer, {Bytes} bytes unsent")]
    public static partial void SlowConsumer(ILogger log, string name, EndPoint? peer, int bytes);
}
