namespace EventLoop.Benchmarks.Echo;

/// <summary>One server's numbers for the measured window.</summary>
internal sealed record EchoResult(ServerKind Kind, long Messages, TimeSpan Window, TimeSpan P50, TimeSpan P99, ServerStats Server, TimeSpan GeneratorCpu)
{
    public double MessagesPerSecond => Messages / Window.TotalSeconds;

    public double CpuMicrosecondsPerMessage => (double)Server.CpuMicroseconds / Messages;

    /// <summary>Share of one core the generator used: near 100% × its cores means it, not the server, set the pace.</summary>
    public double GeneratorBusy => GeneratorCpu / Window;

    /// <summary>Share of one core the server used; it is pinned to one, so ~100% means the server was the limit.</summary>
    public double ServerBusy => Server.CpuMicroseconds / Window.TotalMicroseconds;

    public double BytesPerMessage => (double)Server.AllocatedBytes / Messages;
}
