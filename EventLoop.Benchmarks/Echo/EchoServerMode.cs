using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// The hidden <c>echo-server --kind floor|streams|protocol|sockets|dotnet|gateway [--port 0] [--max-seconds N]</c>
/// sub-mode: one echo server in a process of its own, so its CPU time and allocations are its
/// own. It speaks a line protocol with the generator — out: <c>port N</c>, in: <c>start</c>
/// (answers <c>started</c>), <c>stop</c> (answers with the window's numbers, see
/// <see cref="ServerWindow"/>), <c>conns K</c> (waits until K connections are open, then
/// answers <c>mem B</c>: the managed heap after a full GC), <c>exit</c> or end of input. It exits by itself after
/// --max-seconds, so an orphan never outlives a crashed parent for long.
/// </summary>
internal static class EchoServerMode
{
    public static int Run(string[] args)
    {
        ServerKind? kind = null;
        int port = 0;
        int maxSeconds = 300;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--kind": kind = ServerKinds.Parse(args[i + 1]); break;
                case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--max-seconds": maxSeconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown echo-server option {args[i]}.");
            }
        }
        if (kind is null) throw new ArgumentException("echo-server needs --kind floor|streams|protocol|sockets|dotnet.");

        using var watchdog = new Timer(_ =>
        {
            Console.Error.WriteLine($"echo-server: still running after {maxSeconds} s; exiting.");
            Environment.Exit(3);
        }, null, TimeSpan.FromSeconds(maxSeconds), Timeout.InfiniteTimeSpan);

        FileLimit.Ensure(65_536); // --idle: thousands of sockets; capped by the hard limit
        using IEchoServer server = kind switch
        {
            ServerKind.Floor => new FloorEchoServer(port),
            ServerKind.Dotnet => new DotnetEchoServer(port),
            ServerKind.Gateway => new GatewayEchoServer(port),
            _ => new LoopEchoServer(kind.Value, port),
        };
        return Serve(server);
    }

    /// <summary>Announces <paramref name="server"/>'s port and answers the generator's commands until "exit" or end of input (other server modes use it too).</summary>
    internal static int Serve(IEchoServer server)
    {
        using var stdout = Console.OpenStandardOutput();
        using var stdin = Console.OpenStandardInput();
        stdout.Write(Encoding.ASCII.GetBytes($"port {server.Port}\n"));
        stdout.Flush();

        using var self = Process.GetCurrentProcess();
        var window = new ServerWindow(self);
        var line = new byte[64];
        while (ReadLine(stdin, line) is { } length)
        {
            var command = line.AsSpan(0, length);
            if (command.SequenceEqual("start"u8))
            {
                window.Start();
                stdout.Write("started\n"u8); // raw bytes: no allocation inside the window
                stdout.Flush();
            }
            else if (command.SequenceEqual("stop"u8))
            {
                window.Stop();
                stdout.Write(Encoding.ASCII.GetBytes(window.Format() + "\n"));
                stdout.Flush();
            }
            else if (command.StartsWith("conns "u8))
            {
                int count = int.Parse(command[6..], CultureInfo.InvariantCulture);
                stdout.Write(Encoding.ASCII.GetBytes(HeapWith(count) + "\n"));
                stdout.Flush();
            }
            else if (command.SequenceEqual("exit"u8))
            {
                break;
            }
        }
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

    /// <summary>
    /// Reads one line into <paramref name="line"/> a byte at a time, straight from the input
    /// stream: unlike Console.ReadLine this allocates nothing, and the "stop" command is read
    /// inside the measured window. Null at end of input.
    /// </summary>
    private static int? ReadLine(Stream input, byte[] line)
    {
        int length = 0;
        Span<byte> one = stackalloc byte[1];
        while (true)
        {
            if (input.Read(one) == 0) return length > 0 ? length : null;
            if (one[0] == (byte)'\n') return length;
            if (one[0] != (byte)'\r' && length < line.Length) line[length++] = one[0];
        }
    }
}
