using System.Globalization;
using System.Text.RegularExpressions;

namespace EventLoop.Benchmarks.Http;

/// <summary>What one wrk run reported: requests completed, rate, latency percentiles (from <c>--latency</c>).</summary>
internal sealed partial record WrkResult(long Requests, double RequestsPerSecond, TimeSpan P50, TimeSpan P99, long Timeouts)
{
    /// <summary>
    /// A connect, read or write error or a non-2xx answer fails the run; requests slower than wrk's
    /// 2 s timeout are counted (on an overloaded machine they happen to any server).
    /// </summary>
    /// <exception cref="InvalidOperationException">wrk saw socket errors or non-2xx answers, or its output is not understood.</exception>
    public static WrkResult Parse(string output)
    {
        long timeouts = 0;
        if (SocketErrors().Match(output) is { Success: true } errors)
        {
            if (errors.Groups[1].Value != "0" || errors.Groups[2].Value != "0" || errors.Groups[3].Value != "0") throw new InvalidOperationException($"wrk saw errors: {errors.Value}\n{output}");
            timeouts = long.Parse(errors.Groups[4].Value, CultureInfo.InvariantCulture);
        }
        if (output.Contains("Non-2xx or 3xx responses", StringComparison.Ordinal)) throw new InvalidOperationException("wrk got non-2xx answers:\n" + output);
        var requests = RequestCount().Match(output);
        var rate = Rate().Match(output);
        if (!requests.Success || !rate.Success) throw new InvalidOperationException("Cannot read wrk's output:\n" + output);
        return new WrkResult(
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(output, "50%"),
            Percentile(output, "99%"),
            timeouts);
    }

    private static TimeSpan Percentile(string output, string which)
    {
        var match = Regex.Match(output, @"^\s*" + Regex.Escape(which) + @"\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success) throw new InvalidOperationException($"No {which} latency in wrk's output (run it with --latency).");
        double value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => TimeSpan.FromMicroseconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            _ => TimeSpan.FromSeconds(value),
        };
    }

    [GeneratedRegex(@"^\s*(\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex Rate();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
