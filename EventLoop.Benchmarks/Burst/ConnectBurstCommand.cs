using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using EventLoop.Net;

namespace EventLoop.Benchmarks.Burst;

/// <summary>
/// The <c>connect-burst</c> sub-mode: how long each echo sample takes to absorb N back-to-back
/// connects (each echoing one byte), against the idiomatic .NET server in the same run. Rounds are
/// interleaved across the servers, so drift in the background load spreads over all of them.
/// </summary>
internal static class ConnectBurstCommand
{
    private const string Usage =
        """
        connect-burst [options]   N back-to-back connects, each echoing one byte, per server
          --connections N   connects in the burst (default 10000)
          --rounds R        bursts per server, interleaved (default 3)
          --warmup W        an unmeasured burst of W connects first, so the JIT has compiled
                            the accept path (default 10000; 0 measures a cold server)
          --servers LIST    comma-separated samples, plus dotnet for the .NET baseline
                            (default echo,echo-protocol,echo-sockets,dotnet)
        """;

    public static int Run(string[] args)
    {
        int connections = 10_000, rounds = 3, warmup = 10_000;
        string[] servers = ["echo", "echo-protocol", "echo-sockets", BurstTarget.Baseline];
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");
                switch (args[i])
                {
                    case "--connections": connections = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--rounds": rounds = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--warmup": warmup = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--servers": servers = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                    case "--help" or "-h": Console.WriteLine(Usage); return 0;
                    default: throw new ArgumentException($"Unknown option {args[i]}.");
                }
            }
            if (connections < 1 || rounds < 1 || warmup < 0 || servers.Length == 0) throw new ArgumentException("--connections, --rounds and --servers must be positive, --warmup at least 0.");
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"connect-burst: {e.Message}\n\n{Usage}");
            return 2;
        }
        return RunAsync(connections, rounds, warmup, servers).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int connections, int rounds, int warmup, string[] servers)
    {
        long limit = OpenFileLimit.RaiseToHardLimit() ?? -1;
        if (limit >= 0 && limit < connections + 256)
        {
            Console.Error.WriteLine($"connect-burst: {connections} connects need more descriptors than the limit of {limit}: raise it (ulimit -n).");
            return 1;
        }
        Console.WriteLine($"Connect burst: {connections:N0} back-to-back connects, one byte echoed on each, after a warm-up burst of {warmup:N0}; {rounds} round(s), a fresh server process each. Not pinned. {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} CPUs, somaxconn {ServerOptions.SystemMaxBacklog}.");
        var results = servers.ToDictionary(s => s, _ => new List<BurstResult>());
        try
        {
            for (int round = 1; round <= rounds; round++)
            {
                foreach (var name in servers)
                {
                    await using var target = await BurstTarget.StartAsync(name);
                    if (warmup > 0) await BurstClients.RunAsync(target, warmup, TimeSpan.FromSeconds(120));
                    var result = await BurstClients.RunAsync(target, connections, TimeSpan.FromSeconds(120));
                    await target.StopAsync();
                    results[name].Add(result);
                    Console.Error.WriteLine($"  round {round}, {name}: {result.Elapsed.TotalSeconds:F3} s, server CPU {result.ServerCpu.TotalSeconds:F3} s, {result.Retransmitted} client(s) retransmitted");
                }
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"connect-burst: FAILED: {e}");
            return 1;
        }
        Console.WriteLine();
        Console.Write(Table(results, connections));
        return 0;
    }

    private static string Table(Dictionary<string, List<BurstResult>> results, int connections)
    {
        var baseline = results.TryGetValue(BurstTarget.Baseline, out var b) ? Median(b) : (double?)null;
        var table = new StringBuilder();
        table.AppendLine("| server | median (s) | best (s) | all rounds (s) | server CPU, median (µs per connection) | clients that retransmitted | median vs dotnet |");
        table.AppendLine("|---|---:|---:|---|---:|---:|---:|");
        foreach (var (name, runs) in results)
        {
            double median = Median(runs);
            string rounds = string.Join(", ", runs.Select(r => r.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)));
            string ratio = baseline is { } baseMedian ? (median / baseMedian).ToString("F2", CultureInfo.InvariantCulture) + "x" : "-";
            double cpuPerConnection = MedianOf(runs.Select(r => r.ServerCpu.TotalMicroseconds / connections));
            table.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {median:F3} | {runs.Min(r => r.Elapsed.TotalSeconds):F3} | {rounds} | {cpuPerConnection:F1} | {runs.Sum(r => r.Retransmitted)} | {ratio} |");
        }
        return table.ToString();
    }

    private static double Median(List<BurstResult> runs) => MedianOf(runs.Select(r => r.Elapsed.TotalSeconds));

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
