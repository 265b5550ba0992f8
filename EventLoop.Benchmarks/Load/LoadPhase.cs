namespace EventLoop.Benchmarks.Load;

/// <summary>Where the run is; the clients read it on every completed message.</summary>
internal sealed class LoadPhase
{
    private const int Warmup = 0, Measuring = 1, Stopping = 2;
    private volatile int _value = Warmup;

    /// <summary>Messages completed now count towards the results.</summary>
    public bool IsMeasuring => _value == Measuring;

    /// <summary>Clients send nothing new and finish once everything in flight has come back.</summary>
    public bool IsStopping => _value == Stopping;

    public void StartMeasuring() => _value = Measuring;

    public void Stop() => _value = Stopping;
}
