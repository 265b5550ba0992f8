using BenchmarkDotNet.Attributes;
using EventLoop.Benchmarks.Baselines;
using EventLoop.Testing;

namespace EventLoop.Benchmarks;

/// <summary>
/// (b) Schedule N timers and run until all have fired, on a ManualClock with AutoAdvance (no real
/// waiting), against a PriorityQueue-based timer queue that auto-advances the same way and fires
/// through the pump. Per operation = one timer scheduled, popped and fired.
/// </summary>
[MemoryDiagnoser]
public class TimerFireBenchmarks
{
    private const int N = TimerWorkload.N;

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
    public void Cleanup() => _loop.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public int PriorityQueueScheduleAndFire()
    {
        int target = _fired + N;
        for (int i = 0; i < N; i++) _timers.CallLater(TimerWorkload.DelayTicks[i], _callback);
        while (_fired < target)
        {
            _timers.AdvanceToNextAndPostDue();
            _pump.RunUntilEmpty();
        }
        return _fired;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int LoopCallLaterAndFire()
    {
        int target = _fired + N;
        for (int i = 0; i < N; i++) _loop.CallLater(TimerWorkload.Delays[i], _callback);
        // Each RunOnce with nothing ready auto-advances the clock to the next deadline.
        while (_fired < target) _loop.RunOnce();
        return _fired;
    }
}
