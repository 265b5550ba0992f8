using System.Diagnostics;
using System.Globalization;
using System.Text;
using EventLoop.Benchmarks.Echo;

namespace EventLoop.Benchmarks.Http;

/// <summary>
/// The hidden <c>http-server --kind loop|kestrel [--port 0]</c> sub-mode: one HTTP server in a
/// process of its own, speaking the echo servers' line protocol with the driver (out: <c>port N</c>;
/// in: <c>start</c> → <c>started</c>, <c>stop</c> → the window's numbers, <c>exit</c>). It exits by
/// itself after five minutes, so an orphan never outlives a crashed parent for long.
/// </summary>
internal static class HttpServerMode
{
    public static int Run(string[] args)
    {
        HttpServerKind? kind = null;
        int port = 0;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--kind": kind = HttpServerKinds.Parse(args[i + 1]); break;
                case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown http-server option {args[i]}.");
            }
        }
        if (kind is null) throw new ArgumentException("http-server needs --kind loop|kestrel.");
        using var watchdog = new Timer(_ => Environment.Exit(3), null, TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);

        using IEchoServer server = kind == HttpServerKind.Loop ? new LoopHttpServer(port) : new KestrelHttpServer(port);
        using var stdout = Console.OpenStandardOutput();
        using var stdin = Console.OpenStandardInput();
        stdout.Write(Encoding.ASCII.GetBytes($"port {server.Port}\n"));
        stdout.Flush();

        using var self = Process.GetCurrentProcess();
        var window = new ServerWindow(self);
        var line = new byte[64];
        while (EchoServerMode.ReadLine(stdin, line) is { } length)
        {
            var command = line.AsSpan(0, length);
            if (command.SequenceEqual("start"u8))
            {
                window.Start();
                stdout.Write("started\n"u8);
                stdout.Flush();
            }
            else if (command.SequenceEqual("stop"u8))
            {
                window.Stop();
                stdout.Write(Encoding.ASCII.GetBytes(window.Format() + "\n"));
                stdout.Flush();
            }
            else if (command.SequenceEqual("exit"u8))
            {
                break;
            }
        }
        return 0;
    }
}
