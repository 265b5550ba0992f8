using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples;

/// <summary>
/// How every sample runs: console logging, a fresh loop, and a graceful stop on Ctrl+C or
/// SIGTERM. The signal handler only wakes the loop; on the loop it cancels the sample's main
/// task, whose <c>finally</c> blocks then say goodbye and close. Exit code 0 on a clean stop; a
/// <see cref="SampleFailedException"/> prints its one line and exits with its code, and so does a
/// server that cannot listen where asked (address already in use: exit code 1).
/// </summary>
/// <remarks>
/// A process started with SIGINT ignored (<c>nohup</c>, a background job of a script) keeps
/// ignoring it, as POSIX programs do: .NET keeps the inherited disposition. SIGTERM still stops it.
/// </remarks>
public static class SampleRunner
{
    /// <summary>Runs <paramref name="main"/> on a new loop until it finishes or a stop signal arrives.</summary>
    public static int Run(Func<Loop, ILoggerFactory, LoopTask> main)
    {
        // Logs go to standard error; standard output carries only what the sample prints.
        using var logging = LoggerFactory.Create(builder => builder
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var logger = logging.CreateLogger("EventLoop.Samples");
        var loop = new Loop(new LoopOptions { LoggerFactory = logging });
        try
        {
            loop.Run(() => RunUntilSignalled(loop, logging, main));
            return 0;
        }
        catch (SampleFailedException e)
        {
            Console.Error.WriteLine(e.Message); // explained: one line, no stack trace
            return e.ExitCode;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied or SocketError.AddressNotAvailable)
        {
            // Cannot listen where asked: the message names the endpoint; a stack trace adds nothing.
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        catch (Exception e)
        {
            logger.LogError(e, "The sample failed");
            return 1;
        }
    }

    private static async LoopTask RunUntilSignalled(Loop loop, ILoggerFactory logging, Func<Loop, ILoggerFactory, LoopTask> main)
    {
        // Handlers first: a signal that arrives as soon as the sample prints its first line
        // must already be ours, or the runtime's default action would end the process.
        LoopTask task = default;
        using var interrupt = loop.AddSignalHandler(PosixSignal.SIGINT, () => task.Cancel());
        using var terminate = loop.AddSignalHandler(PosixSignal.SIGTERM, () => task.Cancel());
        task = main(loop, logging);
        try
        {
            await task;
        }
        catch (OperationCanceledException) when (task.Status == LoopTaskStatus.Canceled)
        {
            // Stopped by a signal: a clean exit.
        }
    }
}
