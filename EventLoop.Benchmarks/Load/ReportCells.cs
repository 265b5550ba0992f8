using System.Globalization;

namespace EventLoop.Benchmarks.Load;

/// <summary>How the load reports write a cell: medians over rounds, ranges in parentheses, invariant culture.</summary>
internal static class ReportCells
{
    /// <summary>The median, and with several rounds the range: "1.20 (1.10–1.30)".</summary>
    public static string WithRange(double[] values, string format)
    {
        string median = Median(values).ToString(format, CultureInfo.InvariantCulture);
        if (values.Length == 1) return median;
        return F("{0} ({1}–{2})", median, values.Min().ToString(format, CultureInfo.InvariantCulture), values.Max().ToString(format, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A row's value over the reference row's, taken within each round (the servers of a round ran
    /// back to back, under the same background load), then as <see cref="WithRange"/>; "n/a" if
    /// the reference did not run.
    /// </summary>
    public static string RatioWithinRounds<T>(IReadOnlyList<T[]> rounds, Func<T, bool> isRow, Func<T, bool> isReference, Func<T, double> value)
    {
        var ratios = rounds
            .Where(round => round.Any(isReference))
            .Select(round => value(round.Single(isRow)) / value(round.Single(isReference)))
            .ToArray();
        return ratios.Length == 0 ? "n/a" : WithRange(ratios, "0.00");
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static string Micro(double microseconds) => F("{0:0} µs", microseconds);

    public static string Milli(double microseconds) => F("{0:0.0} ms", microseconds / 1000);

    public static string F(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
