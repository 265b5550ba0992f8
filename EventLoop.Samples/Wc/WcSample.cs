using System.Net;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Wc;

/// <summary>
/// The echo server that also feeds everything a client sends to a child <c>wc</c> process and,
/// when the client disconnects, logs wc's counts: sockets and a child's pipes in one
/// straight-line handler, all driven by the loop.
/// </summary>
public static partial class WcSample
{
    /// <summary>
    /// One client: echo each chunk and copy it into wc; at the end, report wc's counts. A client
    /// that resets is counted like one that finished; a wc that was stopped before it counted
    /// (Ctrl+C in a terminal reaches the child too) reports nothing, rather than empty counts.
    /// </summary>
    public static async LoopTask HandleAsync(Loop loop, Connection connection, ILogger log, Action<string>? report = null)
    {
        using var wc = await loop.StartProcessAsync("wc");
        try
        {
            var buffer = new byte[16 * 1024];
            int n;
            while ((n = await connection.ReadAsync(buffer)) > 0)
            {
                connection.Write(buffer.AsSpan(0, n));
                wc.Stdin!.Write(buffer.AsSpan(0, n));
                await connection.DrainAsync();
                await wc.Stdin.DrainAsync();
            }
        }
        catch (IOException e)
        {
            ClientLog.WentAway(log, connection.RemoteEndPoint, e.InnerException?.Message ?? e.Message); // or wc did
        }
        await wc.Stdin!.CloseAsync();                       // wc sees end of input and prints
        var counts = (await wc.Stdout!.ReadToEndAsync()).Trim();
        int exitCode = await wc.WaitForExitAsync();
        if (exitCode != 0 || counts.Length == 0)
        {
            StoppedBeforeCounting(log, connection.RemoteEndPoint, exitCode);
            return;
        }
        Counted(log, connection.RemoteEndPoint, counts);
        report?.Invoke(counts);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Peer} sent lines/words/bytes: {Counts}")]
    private static partial void Counted(ILogger log, EndPoint? peer, string counts);

    [LoggerMessage(Level = LogLevel.Information, Message = "wc for {Peer} stopped before it counted (exit code {ExitCode})")]
    private static partial void StoppedBeforeCounting(ILogger log, EndPoint? peer, int exitCode);

    /// <summary>Starts the server and serves until cancelled.</summary>
    public static async LoopTask RunAsync(Loop loop, ILoggerFactory logging, EndPoint endpoint, ServerOptions? options = null)
    {
        var log = logging.CreateLogger("wc");
        var server = await loop.StartServerAsync(c => HandleAsync(loop, c, log, counts => Console.Out.WriteLine($"wc: {counts}")), endpoint, options);
        await ServerLifetime.ServeUntilCancelledAsync(loop, server, log, "wc");
    }

    /// <summary>The <c>wc</c> sub-command.</summary>
    public static System.CommandLine.Command CreateCommand()
    {
        var command = new ServerCommand("wc", $"Echo server that counts what each client sent with a child wc (default port {Echo.EchoSample.DefaultPort})", Echo.EchoSample.DefaultPort);
        command.Command.SetAction(parsed => SampleRunner.Run((loop, logging) => RunAsync(loop, logging, command.EndPoint(parsed), command.ServerOptions(parsed))));
        return command.Command;
    }
}
