using System.Globalization;

namespace EventLoop.Benchmarks.Http;

/// <summary>The load of one <c>http</c> run; every server gets the same.</summary>
internal sealed record HttpOptions
{
    public int Connections { get; init; } = 100;
    public int Duration { get; init; } = 10;
    public int Warmup { get; init; } = 4;
    public IReadOnlyList<HttpServerKind> Servers { get; init; } = [HttpServerKind.Loop, HttpServerKind.Kestrel];
    public int Rounds { get; init; } = 1;
    public bool Pin { get; init; } = true;

    public const string Usage =
        """
        http [options]   HTTP servers under wrk (plaintext GET /), each in its own process
          --connections N   wrk -c (default 100; wrk runs one thread, -t1)
          --duration SEC    measured wrk run (default 10)
          --warmup SEC      unmeasured wrk run before it, for tiered JIT (default 4)
          --servers LIST    from loop,kestrel (default both)
          --rounds N        measure every server N times, interleaved (default 1)
          --no-pin          do not pin the server to CPU 0 and wrk to the others
        """;

    /// <exception cref="ArgumentException">An unknown option or a value out of range.</exception>
    public static HttpOptions Parse(IReadOnlyList<string> args)
    {
        var o = new HttpOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            o = name switch
            {
                "--connections" => o with { Connections = Int(name, Value(), 1, 10_000) },
                "--duration" => o with { Duration = Int(name, Value(), 1, 600) },
                "--warmup" => o with { Warmup = Int(name, Value(), 0, 600) },
                "--servers" => o with { Servers = Value().Split(',').Select(HttpServerKinds.Parse).Distinct().ToArray() },
                "--rounds" => o with { Rounds = Int(name, Value(), 1, 20) },
                "--no-pin" => o with { Pin = false },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }
        return o;
    }

    private static int Int(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
            ? v
            : throw new ArgumentException($"{name} must be an integer from {min} to {max}, not '{text}'.");
}
