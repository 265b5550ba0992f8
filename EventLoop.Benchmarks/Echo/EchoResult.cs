using EventLoop.Benchmarks.Load;

namespace EventLoop.Benchmarks.Echo;

/// <summary>One server's numbers for the measured window.</summary>
internal sealed record EchoResult(ServerKind Kind, long Messages, TimeSpan Window, TimeSpan P50, TimeSpan P99, ServerStats Server, TimeSpan GeneratorCpu, double? IdleBytesPerConnection)
{
    public double MessagesPerSecond => Messages / Window.TotalSeconds;

    public double CpuMicrosecondsPerMessage => (double)Server.CpuMicroseconds / Messages;

    /// <summary>Share of one core the generator used: near 100% × its cores means it, not the server, set the pace.</summary>
    public double GeneratorBusy => GeneratorCpu / Window;

    /// <summary>Share of one core the server used; it is pinned to one, so ~100% means the server was the limit.</summary>
    public double ServerBusy => Server.CpuMicroseconds / Window.TotalMicroseconds;

    /// <summary>
    /// The sockets the server watches during the window: every connection plus the listener,
    /// plus the loop's wakeup socket for the loop servers. Null for the .NET server (its epoll
    /// set is the runtime's).
    /// </summary>
    public int? SocketsWatched => Kind switch
    {
        ServerKind.Floor => Server.Connections + 1,
        ServerKind.Gateway => 2 * Server.Connections + 2, // a client and a backend connection each
        _ when Kind.IsLoop() => Server.Connections + 2,
        _ => null,
    };

    public double BytesPerMessage => (double)Server.AllocatedBytes / Messages;
}
