using System.Text;
using static EventLoop.Benchmarks.Load.ReportCells;

namespace EventLoop.Benchmarks.Chat;

/// <summary>
/// The markdown table of a chat run: medians over rounds with ranges; the CPU ratio to the floor
/// is taken within each round before the median. Send calls per line and allocation show the
/// worst round: the claims to check are "few" and "zero".
/// </summary>
internal static class ChatReport
{
    public static string Table(IReadOnlyList<ChatResult[]> rounds)
    {
        var text = new StringBuilder();
        text.AppendLine("| Server | delivered lines/s | send→own echo p50 | p99 | server CPU µs/line | CPU/line vs floor | send calls/line | lines/wait | B allocated/line (window total) | server CPU busy | generator CPU busy |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var kind in rounds[0].Select(r => r.Kind))
        {
            var runs = rounds.Select(round => round.Single(r => r.Kind == kind)).ToArray();
            var worstAlloc = runs.MaxBy(r => r.BytesPerLine)!;
            text.AppendLine(string.Join(" | ",
                "| " + kind.Title(),
                WithRange(runs.Select(r => r.LinesPerSecond).ToArray(), "N0"),
                Milli(Median(runs.Select(r => r.P50.TotalMicroseconds))),
                Milli(Median(runs.Select(r => r.P99.TotalMicroseconds))),
                WithRange(runs.Select(r => r.CpuMicrosecondsPerLine).ToArray(), "0.00"),
                RatioWithinRounds(rounds, r => r.Kind == kind, r => r.Kind == ChatServerKind.Floor, r => r.CpuMicrosecondsPerLine),
                runs.All(r => r.SendsPerLine is not null) ? F("{0:0.000}", runs.Max(r => r.SendsPerLine!.Value)) : "n/a",
                runs.All(r => r.LinesPerWait is not null) ? WithRange(runs.Select(r => r.LinesPerWait!.Value).ToArray(), "0.0") : "n/a",
                F("{0:0.#} ({1:N0} B)", worstAlloc.BytesPerLine, worstAlloc.Server.AllocatedBytes),
                F("{0:0%}", Median(runs.Select(r => r.ServerBusy))),
                F("{0:0%}", Median(runs.Select(r => r.GeneratorBusy))) + " |"));
        }
        return text.ToString();
    }
}
