using Microsoft.Extensions.Logging;

namespace EventLoop.Hosting;

/// <summary>Log lines of the hosting layer (source-generated), category <c>EventLoop.Hosting</c>.</summary>
internal static partial class HostingLog
{
    /// <summary>The host gave up waiting: worth a warning, since the loop's cleanup may be cut short when the process exits.</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "The loop thread '{Name}' did not finish within the host's shutdown timeout; it goes on unwinding in the background")]
    public static partial void StopTimedOut(ILogger log, string name);
}
