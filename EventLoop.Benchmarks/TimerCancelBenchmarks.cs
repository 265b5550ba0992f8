using BenchmarkDotNet.Attributes;
using EventLoop.Benchmarks.Baselines;
using EventLoop.Testing;

namespace EventLoop.Benchmarks;

/// <summary>
/// (b) Schedule N timers and cancel them all before they are due — the common timeout pattern:
/// the operation finished first. Then one iteration lets each side drop what the cancels left
/// behind, so neither carries garbage into the next invocation. Per operation = one schedule + cancel.
/// </summary>
[MemoryDiagnoser]
public class TimerCancelBenchmarks
{
    private const int N = TimerWorkload.N;

    private readonly TimerHandle[] _handles = new TimerHandle[N];
    private readonly PriorityQueueTimers.Timer[] _baselineHandles = new PriorityQueueTimers.Timer[N];
    private Loop _loop = null!;
    private SingleThreadSynchronizationContext _pump = null!;
    private PriorityQueueTimers _timers = null!;
    private Action _callback = null!;
    private int _fired;

    [GlobalSetup]
    public void Setup()
    {
        _loop = new Loop(new LoopOptions { TimeProvider = new ManualClock { AutoAdvance = true } });
        _pump = new SingleThreadSynchronizationContext();
        _timers = new PriorityQueueTimers(_pump);
        _callback = () => _fired++;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _loop.Dispose();
        if (_fired != 0) throw new InvalidOperationException("A cancelled timer fired.");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public bool PriorityQueueScheduleAndCancel()
    {
        for (int i = 0; i < N; i++) _baselineHandles[i] = _timers.CallLater(TimerWorkload.DelayTicks[i], _callback);
        for (int i = 0; i < N; i++) _baselineHandles[i].Cancel();
        bool live = _timers.AdvanceToNextAndPostDue(); // pops every cancelled entry (lazy deletion)
        _pump.RunUntilEmpty();
        return live;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int LoopCallLaterAndCancel()
    {
        for (int i = 0; i < N; i++) _handles[i] = _loop.CallLater(TimerWorkload.Delays[i], _callback);
        for (int i = 0; i < N; i++) _handles[i].Cancel();
        // The heap compacted itself during the cancels; this iteration drops the few left at the top.
        _loop.RunOnce(TimeSpan.Zero);
        return _loop.TimerCount;
    }
}
