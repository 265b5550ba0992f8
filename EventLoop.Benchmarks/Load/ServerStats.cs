using System.Globalization;

namespace EventLoop.Benchmarks.Load;

/// <summary>What a server reported for the measured window (see <see cref="ServerWindow"/>).</summary>
internal sealed record ServerStats(long CpuMicroseconds, long AllocatedBytes, int Gen0Collections, int Gen2Collections, int Connections)
{
    /// <exception cref="FormatException">Not a "window ..." line.</exception>
    public static ServerStats Parse(string line)
    {
        var fields = line.Split(' ');
        if (fields.Length != 6 || fields[0] != "window") throw new FormatException($"Unexpected server reply '{line}'.");
        long Field(int i, string name) =>
            fields[i].StartsWith(name + "=", StringComparison.Ordinal)
                ? long.Parse(fields[i].AsSpan(name.Length + 1), CultureInfo.InvariantCulture)
                : throw new FormatException($"Expected {name}= in '{line}'.");
        return new ServerStats(Field(1, "cpu_us"), Field(2, "alloc_bytes"), (int)Field(3, "gen0"), (int)Field(4, "gen2"), (int)Field(5, "conns"));
    }
}
