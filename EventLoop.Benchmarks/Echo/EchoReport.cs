using System.Text;
using EventLoop.Benchmarks.Load;
using static EventLoop.Benchmarks.Load.ReportCells;

namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// The markdown table of an echo run. With several rounds each cell is the median over rounds,
/// with the range in parentheses where it matters; the CPU ratio is taken within each round
/// (the servers of a round ran back to back, under the same background load) before the median.
/// Allocation shows the worst round: the claim to check is "zero", not a typical value.
/// </summary>
internal static class EchoReport
{
    public static string Table(IReadOnlyList<EchoResult[]> rounds)
    {
        var kinds = rounds[0].Select(r => r.Kind).ToArray();
        var text = new StringBuilder();
        text.AppendLine("| Server | msgs/s | p50 | p99 | server CPU µs/msg | CPU/msg vs floor | CPU/msg vs .NET | B allocated/msg (window total) | sockets watched | idle conn: managed B each | server CPU busy | generator CPU busy |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var kind in kinds)
        {
            var runs = rounds.Select(round => round.Single(r => r.Kind == kind)).ToArray();
            var worstAlloc = runs.MaxBy(r => r.BytesPerMessage)!;
            text.AppendLine(string.Join(" | ",
                "| " + kind.Title(),
                WithRange(runs.Select(r => r.MessagesPerSecond).ToArray(), "N0"),
                Micro(Median(runs.Select(r => r.P50.TotalMicroseconds))),
                Micro(Median(runs.Select(r => r.P99.TotalMicroseconds))),
                WithRange(runs.Select(r => r.CpuMicrosecondsPerMessage).ToArray(), "0.00"),
                RatioWithinRounds(rounds, r => r.Kind == kind, r => r.Kind == ServerKind.Floor, r => r.CpuMicrosecondsPerMessage),
                RatioWithinRounds(rounds, r => r.Kind == kind, r => r.Kind == ServerKind.Dotnet, r => r.CpuMicrosecondsPerMessage),
                F("{0:0.###} ({1:N0} B)", worstAlloc.BytesPerMessage, worstAlloc.Server.AllocatedBytes),
                runs[0].SocketsWatched is { } watched ? F("{0:N0}", watched) : F("n/a (epoll; {0:N0} conns)", runs[0].Server.Connections),
                runs.All(r => r.IdleBytesPerConnection is not null) ? WithRange(runs.Select(r => r.IdleBytesPerConnection!.Value).ToArray(), "N0") : "n/a",
                F("{0:0%}", Median(runs.Select(r => r.ServerBusy))),
                F("{0:0%}", Median(runs.Select(r => r.GeneratorBusy))) + " |"));
        }
        return text.ToString();
    }
}
