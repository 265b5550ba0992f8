using System.Diagnostics;
using System.Globalization;

namespace EventLoop.Benchmarks.Load;

/// <summary>
/// The server's CPU time and managed allocations between "start" and "stop" — the generator's
/// measured window, so warm-up (JIT, connection set-up, buffer pools filling) is excluded.
/// <paramref name="openConnections"/> tells how many connections the server has open (0 where it
/// does not know).
/// </summary>
internal sealed class ServerWindow(Process self, Func<int> openConnections)
{
    private TimeSpan _cpuStart, _cpuEnd;
    private long _allocStart, _allocEnd;
    private int _gen0Start, _gen0End, _gen2Start, _gen2End;
    private int _connections;

    // Process.TotalProcessorTime parses /proc/self/stat and allocates doing so. Read it first at
    // the start and last at the end, so those bytes fall outside the allocation window.
    public void Start()
    {
        _cpuStart = self.TotalProcessorTime;
        // At the start, under full load: by "stop" the generator has let clients finish and some
        // connections may already be closed.
        _connections = openConnections();
        _gen0Start = GC.CollectionCount(0);
        _gen2Start = GC.CollectionCount(2);
        _allocStart = GC.GetTotalAllocatedBytes(precise: true);
    }

    public void Stop()
    {
        _allocEnd = GC.GetTotalAllocatedBytes(precise: true);
        _gen0End = GC.CollectionCount(0);
        _gen2End = GC.CollectionCount(2);
        _cpuEnd = self.TotalProcessorTime;
    }

    /// <summary>The reply to "stop"; <see cref="ServerStats.Parse"/> reads it.</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"window cpu_us={(_cpuEnd - _cpuStart).Ticks / 10} alloc_bytes={_allocEnd - _allocStart} gen0={_gen0End - _gen0Start} gen2={_gen2End - _gen2Start} conns={_connections}");
}
