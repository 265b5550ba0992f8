using EventLoop.Benchmarks.Load;

namespace EventLoop.Benchmarks.Echo;

/// <summary>The load of one <c>echo</c> run; every server in the run gets the same.</summary>
internal sealed record EchoOptions : LoadOptions
{
    public int Connections { get; init; } = 50;
    public int Size { get; init; } = 1024;
    public int Depth { get; init; } = 1;
    public IReadOnlyList<ServerKind> Servers { get; init; } = [ServerKind.Floor, ServerKind.Streams, ServerKind.Protocol, ServerKind.Sockets, ServerKind.Dotnet];

    /// <summary>Connections opened before the load and held open without sending: they grow the server's select set.</summary>
    public int Idle { get; init; }

    public override int ServerCount => Servers.Count;

    /// <summary>Connect, warm-up, window, drain, with room for a slow box.</summary>
    public override TimeSpan PerServerBudget => Warmup + Duration + TimeSpan.FromSeconds(30 + Idle / 250);

    public const string Usage =
        """
        echo [options]   echo servers compared under one load (each server in its own process)
          --connections N   concurrent connections (default 50)
          --size S          bytes per message (default 1024)
          --depth D         messages in flight per connection (default 1; >1 pipelines)
          --servers LIST    comma-separated, from floor,streams,protocol,sockets,dotnet (the
                            default) and streams-select,protocol-select (loop servers on
                            Socket.Select instead of epoll) and gateway (the gateway
                            sample in front of a streams echo in another process)
          --idle N          before the load, open N idle connections (never sending) and report the
                            server's managed memory per idle connection (default 0)
        """ + "\n" + CommonUsage;

    /// <exception cref="ArgumentException">An unknown option or a value out of range.</exception>
    public static EchoOptions Parse(IReadOnlyList<string> args)
    {
        var o = Parse(args, new EchoOptions(), (o, name, value) => name switch
        {
            "--connections" => o with { Connections = Int(name, value(), 1, 10_000) },
            "--size" => o with { Size = Int(name, value(), 1, 1 << 20) },
            "--depth" => o with { Depth = Int(name, value(), 1, 1024) },
            "--servers" => o with { Servers = value().Split(',').Select(ServerKinds.Parse).Distinct().ToArray() },
            "--idle" => o with { Idle = Int(name, value(), 0, 50_000) },
            _ => null,
        });
        // Blocking is impossible only if what a connection has in flight fits in socket buffers
        // and the server's write buffer; the clients also time out, but refuse the obvious case.
        if ((long)o.Size * o.Depth > 4 << 20)
            throw new ArgumentException("--size × --depth must be at most 4 MiB per connection.");
        return o;
    }

    /// <summary>One line for the report header.</summary>
    public string Describe() =>
        $"{Connections} connections, {Size} B messages, {Depth} in flight each, {DescribeTiming()}{(Idle > 0 ? $", {Idle} idle connections" : "")}";
}
