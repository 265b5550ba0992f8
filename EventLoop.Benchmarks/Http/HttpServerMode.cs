using System.Globalization;
using EventLoop.Benchmarks.Echo;

namespace EventLoop.Benchmarks.Http;

/// <summary>
/// The hidden <c>http-server --kind loop|kestrel [--port 0]</c> sub-mode: one HTTP server in a
/// process of its own, speaking the echo servers' line protocol with the driver
/// (<see cref="EchoServerMode.Serve"/>). It exits by itself after five minutes, so an orphan never
/// outlives a crashed parent for long.
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
        return EchoServerMode.Serve(server);
    }
}
