using BenchmarkDotNet.Attributes;
using EventLoop.Benchmarks.Baselines;
using EventLoop.Testing;

namespace EventLoop.Benchmarks;

/// <summary>
/// (c) The cost of one suspension and resumption: one async method awaits a yield N times.
/// The loop resumes it from its ready queue in the next iteration; the baseline's
/// <c>Task.Yield</c> posts the continuation to the pump. Per operation = one yield round trip.
/// </summary>
/// <remarks>
/// The async method itself (its box, on the first suspension) is set up once per invocation and
/// is amortised over N; what is left per operation is the steady-state await.
/// <para><see cref="LoopYieldOnManualClock"/> is a diagnostic, not a target: the same loop on a
/// ManualClock, whose timestamp is a field read. Its difference to <see cref="LoopYield"/> is
/// what the loop's clock read in every iteration costs (it reads the clock even with no timers).</para>
/// </remarks>
[MemoryDiagnoser]
public class YieldBenchmarks
{
    private const int N = 1000;

    private Loop _loop = null!;
    private Loop _manualClockLoop = null!;
    private SingleThreadSynchronizationContext _pump = null!;
    private Func<Task> _taskYields = null!;
    private Func<LoopTask> _loopYields = null!;
    private Func<LoopTask> _manualClockLoopYields = null!;

    [GlobalSetup]
    public void Setup()
    {
        _loop = new Loop();
        _manualClockLoop = new Loop(new LoopOptions { TimeProvider = new ManualClock() });
        _pump = new SingleThreadSynchronizationContext();
        _taskYields = TaskYields;
        _loopYields = () => Yields(_loop);
        _manualClockLoopYields = () => Yields(_manualClockLoop);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _loop.Dispose();
        _manualClockLoop.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public void TaskYieldOnPump() => _pump.Run(_taskYields);

    [Benchmark(OperationsPerInvoke = N)]
    public void LoopYield() => _loop.RunUntilComplete(_loopYields);

    [Benchmark(OperationsPerInvoke = N)]
    public void LoopYieldOnManualClock() => _manualClockLoop.RunUntilComplete(_manualClockLoopYields);

    private static async Task TaskYields()
    {
        for (int i = 0; i < N; i++) await Task.Yield();
    }

    private static async LoopTask Yields(Loop loop)
    {
        for (int i = 0; i < N; i++) await loop.Yield();
    }
}
