using System.Text;
using EventLoop.Benchmarks.Echo;
using EventLoop.Benchmarks.Load;

namespace EventLoop.Benchmarks.Http;

/// <summary>
/// The hidden <c>http-server --kind loop|kestrel [--port 0] [--max-seconds N]</c> sub-mode: one HTTP
/// server in a process of its own, driven as <see cref="ServerControl"/> describes (it prints
/// <c>port N</c> first).
/// </summary>
internal static class HttpServerMode
{
    public const string Mode = "http-server";

    public static int Run(string[] args)
    {
        var arguments = ServerControl.Parse(Mode, args);
        var kind = HttpServerKinds.Parse(arguments.Kind);
        using var watchdog = ServerControl.StartWatchdog(Mode, arguments.MaxSeconds);
        using IEchoServer server = kind == HttpServerKind.Loop ? new LoopHttpServer(arguments.Port) : new KestrelHttpServer(arguments.Port);
        using (var stdout = Console.OpenStandardOutput())
        {
            stdout.Write(Encoding.ASCII.GetBytes($"port {server.Port}\n"));
            stdout.Flush();
        }
        ServerControl.Serve(() => 0); // wrk's connections are not counted here
        return 0;
    }
}
