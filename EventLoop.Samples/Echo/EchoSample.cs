using System.Buffers;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Echo;

/// <summary>
/// The echo server in the streams style: read a chunk, write it back, wait for the write
/// buffer to drain. Binary-safe: bytes go back exactly as they came.
/// </summary>
public static class EchoSample
{
    /// <summary>The default port.</summary>
    public const int DefaultPort = 25000;

    /// <summary>One connection, start to end: reads like the threaded version.</summary>
    /// <remarks>
    /// The zero-byte read waits for data without a buffer; one is rented from the pool only while
    /// there is something to echo, so an idle connection holds no buffer at all. A reset is how
    /// many clients leave: logged at Debug, never as a failure.
    /// </remarks>
    public static async LoopTask HandleAsync(Connection connection, ILogger log)
    {
        try
        {
            while (true)
            {
                await connection.ReadAsync(Memory<byte>.Empty); // wait until data (or the end) arrives
                var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
                try
                {
                    int n = await connection.ReadAsync(buffer); // completes at once: data is there
                    if (n == 0) break;                          // the client finished sending
                    connection.Write(buffer.AsSpan(0, n));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                await connection.DrainAsync(); // don't outrun a slow reader
            }
        }
        catch (IOException e)
        {
            ClientLog.WentAway(log, connection.RemoteEndPoint, e.InnerException?.Message ?? e.Message);
        }
    }

    /// <summary>Starts the server and serves until cancelled.</summary>
    public static async LoopTask RunAsync(Loop loop, ILoggerFactory logging, System.Net.EndPoint endpoint, ServerOptions? options = null)
    {
        var log = logging.CreateLogger("echo");
        var server = await loop.StartServerAsync(c => HandleAsync(c, log), endpoint, options);
        await ServerLifetime.ServeUntilCancelledAsync(loop, server, log, "echo");
    }

    /// <summary>The <c>echo</c> sub-command.</summary>
    public static System.CommandLine.Command CreateCommand()
    {
        var command = new ServerCommand("echo", $"Echo server, streams style (default port {DefaultPort})", DefaultPort);
        command.Command.SetAction(parsed => SampleRunner.Run((loop, logging) => RunAsync(loop, logging, command.EndPoint(parsed), command.ServerOptions(parsed))));
        return command.Command;
    }
}
