using System.Diagnostics;
using System.Numerics;

namespace EventLoop.Benchmarks.Load;

/// <summary>
/// Round-trip times in Stopwatch ticks, log-linear buckets (HdrHistogram's layout, 128 sub-buckets
/// per power of two: under 1% error). Fixed size, so recording allocates nothing and costs a few
/// instructions — the generator must stay cheap next to the server it measures. One per client:
/// no sharing, merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;
    private readonly long[] _counts = new long[(64 - SubBucketBits) * SubBuckets];

    public long Count { get; private set; }

    public void Record(long ticks)
    {
        _counts[Index(Math.Max(0, ticks))]++;
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
    }

    /// <summary>The value at <paramref name="percentile"/> (0–100), as a duration.</summary>
    public TimeSpan Percentile(double percentile)
    {
        if (Count == 0) return TimeSpan.Zero;
        long rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return TimeSpan.FromSeconds((double)Midpoint(i) / Stopwatch.Frequency);
        }
        return TimeSpan.FromSeconds((double)Midpoint(_counts.Length - 1) / Stopwatch.Frequency);
    }

    // Values below 128 get a bucket each; above, the top 8 significant bits pick the bucket.
    private static int Index(long value)
    {
        if (value < SubBuckets) return (int)value;
        int msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        int shift = msb - SubBucketBits;
        return (shift + 1) * SubBuckets + (int)((value >> shift) - SubBuckets);
    }

    private static long Midpoint(int index)
    {
        if (index < SubBuckets) return index;
        int shift = index / SubBuckets - 1;
        long low = (long)(index % SubBuckets + SubBuckets) << shift;
        return low + ((1L << shift) >> 1);
    }
}
