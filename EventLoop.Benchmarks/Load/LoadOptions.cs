using System.Globalization;

namespace EventLoop.Benchmarks.Load;

/// <summary>
/// What every load command (<c>echo</c>, <c>chat</c>) is run with, and the parsing they share; each
/// command's options derive from it and add their own load and server list.
/// </summary>
internal abstract record LoadOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Long enough for tiered JIT to finish: at one connection (~35k msgs/s) the streams echo
    /// server was still compiling tier-1 code 4 s in, which cost it ~25% more CPU per message in a
    /// 1 s warm-up than once warm (the JIT's thread shares the server's pinned core).
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(4);

    public bool Pin { get; init; } = true;
    public int Rounds { get; init; } = 1;

    /// <summary>How many servers one round measures.</summary>
    public abstract int ServerCount { get; }

    /// <summary>The longest one server's run may take before it counts as hung.</summary>
    public abstract TimeSpan PerServerBudget { get; }

    /// <summary>The usage lines of the shared options.</summary>
    public const string CommonUsage =
        """
          --duration SEC    measured window (default 5)
          --warmup SEC      unmeasured warm-up before it, for tiered JIT to settle (default 4)
          --rounds N        measure every server N times, interleaved, and report medians (default 1)
          --no-pin          do not pin server and load generator to different cores with taskset
        """;

    /// <summary>
    /// Parses <paramref name="args"/> into <paramref name="defaults"/>: the shared options here,
    /// the rest through <paramref name="own"/> (given the options so far, the name and a reader of
    /// its value; null for an option it does not know).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown option or a value out of range.</exception>
    protected static T Parse<T>(IReadOnlyList<string> args, T defaults, Func<T, string, Func<string>, T?> own) where T : LoadOptions
    {
        var o = defaults;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            o = (T?)Common(o, name, Value) ?? own(o, name, Value) ?? throw new ArgumentException($"Unknown option {name}.");
        }
        return o;
    }

    private static LoadOptions? Common(LoadOptions o, string name, Func<string> value) => name switch
    {
        "--duration" => o with { Duration = Seconds(name, value()) },
        "--warmup" => o with { Warmup = Seconds(name, value(), allowZero: true) },
        "--rounds" => o with { Rounds = Int(name, value(), 1, 20) },
        "--no-pin" => o with { Pin = false },
        _ => null,
    };

    protected static int Int(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
            ? v
            : throw new ArgumentException($"{name} must be an integer from {min} to {max}, not '{text}'.");

    private static TimeSpan Seconds(string name, string text, bool allowZero = false) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && (s > 0 || (allowZero && s == 0)) && s <= 600
            ? TimeSpan.FromSeconds(s)
            : throw new ArgumentException($"{name} must be a number of seconds{(allowZero ? " ≥ 0" : " > 0")} and at most 600, not '{text}'.");

    /// <summary>The shared part of the report header.</summary>
    protected string DescribeTiming() =>
        $"{Duration.TotalSeconds:0.###} s after {Warmup.TotalSeconds:0.###} s warm-up, {Rounds} round(s)";
}
