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
          --servers LIST    comma-separated samples, plus dotnet for the .NET baseline
                            (default echo,echo-protocol,echo-sockets,dotnet)
        """;

    public static int Run(string[] args)
    {
        int connections = 10_000, rounds = 3;
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
                    case "--servers": servers = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                    case "--help" or "-h": Console.WriteLine(Usage); return 0;
                    default: throw new ArgumentException($"Unknown option {args[i]}.");
                }
            }
            if (connections < 1 || rounds < 1 || servers.Length == 0) throw new ArgumentException("--connections, --rounds and --servers must be positive.");
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"connect-burst: {e.Message}\n\n{Usage}");
            return 2;
        }
        return RunAsync(connections, rounds, servers).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int connections, int rounds, string[] servers)
    {
        long limit = OpenFileLimit.RaiseToHardLimit() ?? -1;
        if (limit >= 0 && limit < connections + 256)
        {
            Console.Error.WriteLine($"connect-burst: {connections} connects need more descriptors than the limit of {limit}: raise it (ulimit -n).");
            return 1;
        }
        Console.WriteLine($"Connect burst: {connections:N0} back-to-back connects, one byte echoed on each; {rounds} round(s). Not pinned. {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} CPUs, somaxconn {ServerOptions.SystemMaxBacklog}.");
        var results = servers.ToDictionary(s => s, _ => new List<BurstResult>());
        try
        {
            for (int round = 1; round <= rounds; round++)
            {
                foreach (var name in servers)
                {
                    await using var target = await BurstTarget.StartAsync(name);
                    var result = await BurstClients.RunAsync(target.Port, connections, TimeSpan.FromSeconds(120));
                    await target.StopAsync();
                    results[name].Add(result);
                    Console.Error.WriteLine($"  round {round}, {name}: {result.Elapsed.TotalSeconds:F3} s, {result.Retransmitted} client(s) retransmitted");
                }
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"connect-burst: FAILED: {e}");
            return 1;
        }
        Console.WriteLine();
        Console.Write(Table(results));
        return 0;
    }

    private static string Table(Dictionary<string, List<BurstResult>> results)
    {
        var baseline = results.TryGetValue(BurstTarget.Baseline, out var b) ? Median(b) : (double?)null;
        var table = new StringBuilder();
        table.AppendLine("| server | median (s) | best (s) | all rounds (s) | clients that retransmitted | median vs dotnet |");
        table.AppendLine("|---|---:|---:|---|---:|---:|");
        foreach (var (name, runs) in results)
        {
            double median = Median(runs);
            string rounds = string.Join(", ", runs.Select(r => r.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)));
            string ratio = baseline is { } baseMedian ? (median / baseMedian).ToString("F2", CultureInfo.InvariantCulture) + "x" : "-";
            table.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {median:F3} | {runs.Min(r => r.Elapsed.TotalSeconds):F3} | {rounds} | {runs.Sum(r => r.Retransmitted)} | {ratio} |");
        }
        return table.ToString();
    }

    private static double Median(List<BurstResult> runs)
    {
        var sorted = runs.Select(r => r.Elapsed.TotalSeconds).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
