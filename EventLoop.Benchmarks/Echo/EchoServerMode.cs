using System.Diagnostics;
using System.Globalization;
using System.Text;
using EventLoop.Benchmarks.Load;
using EventLoop.Net;

namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// The hidden <c>echo-server --kind floor|streams|protocol|sockets|dotnet|gateway [--port 0] [--max-seconds N]</c>
/// sub-mode: one echo server in a process of its own, driven as <see cref="ServerControl"/>
/// describes. It prints <c>port N</c> first, and also answers <c>conns K</c> (waits until K
/// connections are open, then answers <c>mem B</c>: the managed heap after a full GC).
/// </summary>
internal static class EchoServerMode
{
    private const string Mode = "echo-server";

    public static int Run(string[] args)
    {
        var arguments = ServerControl.Parse(Mode, args);
        var kind = ServerKinds.Parse(arguments.Kind);
        using var watchdog = ServerControl.StartWatchdog(Mode, arguments.MaxSeconds);

        OpenFileLimit.RaiseToHardLimit(); // --idle: thousands of sockets
        using IEchoServer server = kind switch
        {
            ServerKind.Floor => new FloorEchoServer(arguments.Port),
            ServerKind.Dotnet => new DotnetEchoServer(arguments.Port),
            ServerKind.Gateway => new GatewayEchoServer(arguments.Port),
            _ => new LoopEchoServer(kind, arguments.Port),
        };
        using (var stdout = Console.OpenStandardOutput())
        {
            stdout.Write(Encoding.ASCII.GetBytes($"port {server.Port}\n"));
            stdout.Flush();
        }
        ServerControl.Serve(() => EchoConnections.Open, command =>
            command.StartsWith("conns "u8) ? HeapWith(int.Parse(command[6..], CultureInfo.InvariantCulture)) : null);
        return 0;
    }

    /// <summary>
    /// Waits (bounded) for <paramref name="count"/> open connections, lets the server's thread
    /// reach its wait (a handler that has just been counted may not have suspended yet), then
    /// reads the heap after a full, compacting collection: what the connections hold, not garbage.
    /// </summary>
    private static string HeapWith(int count)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
        while (EchoConnections.Open < count)
        {
            if (Stopwatch.GetTimestamp() > deadline) return $"timeout open={EchoConnections.Open}";
            Thread.Sleep(5);
        }
        Thread.Sleep(100);
        return string.Create(CultureInfo.InvariantCulture, $"mem {GC.GetTotalMemory(forceFullCollection: true)}");
    }
}
