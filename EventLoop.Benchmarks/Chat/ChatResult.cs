using EventLoop.Benchmarks.Load;

namespace EventLoop.Benchmarks.Chat;

/// <summary>One chat server's numbers for the measured window; a "line" is one line delivered to one client.</summary>
/// <param name="Syscalls">The server's calls over the whole load, from the first line sent to the last delivered.</param>
/// <param name="LoadLines">The lines delivered over that same span: the divisor of the per-line call counts.</param>
/// <param name="GeneratorAllocated">Bytes the generator's client thread allocated over that span (a check that it is cheap).</param>
internal sealed record ChatResult(ChatServerKind Kind, long Lines, TimeSpan Window, TimeSpan P50, TimeSpan P99, ServerStats Server, TimeSpan GeneratorCpu, SyscallCounts? Syscalls, long LoadLines, long GeneratorAllocated)
{
    public double LinesPerSecond => Lines / Window.TotalSeconds;

    public double CpuMicrosecondsPerLine => (double)Server.CpuMicroseconds / Lines;

    /// <summary>Socket sends the server made per delivered line (1 = one send per line per recipient).</summary>
    public double? SendsPerLine => Syscalls is { } s ? (double)s.Sends / LoadLines : null;

    /// <summary>Delivered lines per wait of the server's loop (epoll_wait or poll): how much one iteration serves.</summary>
    public double? LinesPerWait => Syscalls is { Waits: > 0 } s ? (double)LoadLines / s.Waits : null;

    public double BytesPerLine => (double)Server.AllocatedBytes / Lines;

    /// <summary>Share of one core the server used; it is pinned to one, so ~100% means the server was the limit.</summary>
    public double ServerBusy => Server.CpuMicroseconds / Window.TotalMicroseconds;

    /// <summary>Share of one core the generator used: near 100% means it, not the server, may have set the pace.</summary>
    public double GeneratorBusy => GeneratorCpu / Window;
}
