using System.Globalization;

namespace EventLoop.Benchmarks.Echo;

/// <summary>The load of one <c>echo</c> run; every server in the run gets the same.</summary>
internal sealed record EchoOptions
{
    public int Connections { get; init; } = 50;
    public int Size { get; init; } = 1024;
    public int Depth { get; init; } = 1;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// Long enough for tiered JIT to finish: at one connection (~35k msgs/s) the streams server
    /// was still compiling tier-1 code 4 s in, which cost it ~25% more CPU per message in a 1 s
    /// warm-up than once warm (the JIT's thread shares the server's pinned core).
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(4);
    public IReadOnlyList<ServerKind> Servers { get; init; } = [ServerKind.Floor, ServerKind.Streams, ServerKind.Protocol, ServerKind.Sockets, ServerKind.Dotnet];
    public bool Pin { get; init; } = true;
    public int Rounds { get; init; } = 1;

    /// <summary>Connections opened before the load and held open without sending: they grow the server's select set.</summary>
    public int Idle { get; init; }

    /// <summary>The longest one server's run may take before it counts as hung: connect, warm-up, window, drain, with room for a slow box.</summary>
    public TimeSpan PerServerBudget => Warmup + Duration + TimeSpan.FromSeconds(30 + Idle / 250);

    public const string Usage =
        """
        echo [options]   echo servers compared under one load (each server in its own process)
          --connections N   concurrent connections (default 50)
          --size S          bytes per message (default 1024)
          --depth D         messages in flight per connection (default 1; >1 pipelines)
          --duration SEC    measured window (default 5)
          --warmup SEC      unmeasured warm-up before it, for tiered JIT to settle (default 4)
          --servers LIST    comma-separated, from floor,streams,protocol,sockets,dotnet (the
                            default) and streams-select,protocol-select (loop servers on
                            Socket.Select instead of epoll) and gateway (the gateway
                            sample in front of a streams echo in another process)
          --idle N          before the load, open N idle connections (never sending) and report the
                            server's managed memory per idle connection (default 0)
          --rounds N        measure every server N times, interleaved, and report medians (default 1)
          --no-pin          do not pin server and load generator to different cores with taskset
        """;

    /// <exception cref="ArgumentException">An unknown option or a value out of range.</exception>
    public static EchoOptions Parse(IReadOnlyList<string> args)
    {
        var o = new EchoOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            o = name switch
            {
                "--connections" => o with { Connections = Int(name, Value(), 1, 10_000) },
                "--size" => o with { Size = Int(name, Value(), 1, 1 << 20) },
                "--depth" => o with { Depth = Int(name, Value(), 1, 1024) },
                "--duration" => o with { Duration = Seconds(name, Value()) },
                "--warmup" => o with { Warmup = Seconds(name, Value(), allowZero: true) },
                "--servers" => o with { Servers = Value().Split(',').Select(ServerKinds.Parse).Distinct().ToArray() },
                "--rounds" => o with { Rounds = Int(name, Value(), 1, 20) },
                "--idle" => o with { Idle = Int(name, Value(), 0, 50_000) },
                "--no-pin" => o with { Pin = false },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }
        // Blocking is impossible only if what a connection has in flight fits in socket buffers
        // and the server's write buffer; the clients also time out, but refuse the obvious case.
        if ((long)o.Size * o.Depth > 4 << 20)
            throw new ArgumentException("--size × --depth must be at most 4 MiB per connection.");
        return o;
    }

    /// <summary>One line for the report header.</summary>
    public string Describe() =>
        $"{Connections} connections, {Size} B messages, {Depth} in flight each, {Duration.TotalSeconds:0.###} s after {Warmup.TotalSeconds:0.###} s warm-up, {Rounds} round(s){(Idle > 0 ? $", {Idle} idle connections" : "")}";

    private static int Int(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
            ? v
            : throw new ArgumentException($"{name} must be an integer from {min} to {max}, not '{text}'.");

    private static TimeSpan Seconds(string name, string text, bool allowZero = false) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && (s > 0 || (allowZero && s == 0)) && s <= 600
            ? TimeSpan.FromSeconds(s)
            : throw new ArgumentException($"{name} must be a number of seconds{(allowZero ? " ≥ 0" : " > 0")} and at most 600, not '{text}'.");
}
