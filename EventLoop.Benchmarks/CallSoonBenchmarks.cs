using BenchmarkDotNet.Attributes;
using EventLoop.Benchmarks.Baselines;

namespace EventLoop.Benchmarks;

/// <summary>
/// (a) Queue N callbacks, then run them all: the loop's ready queue against
/// SynchronizationContext.Post on the single-threaded pump. Per operation = one callback queued and run.
/// </summary>
[MemoryDiagnoser]
public class CallSoonBenchmarks
{
    private const int N = 1000;

    private Loop _loop = null!;
    private SingleThreadSynchronizationContext _pump = null!;
    private Action _callback = null!;
    private SendOrPostCallback _postCallback = null!;
    private int _calls;

    [GlobalSetup]
    public void Setup()
    {
        _loop = new Loop();
        _pump = new SingleThreadSynchronizationContext();
        // Cached delegates: the benchmark measures queueing, not delegate allocation.
        _callback = () => _calls++;
        _postCallback = _ => _calls++;
    }

    [GlobalCleanup]
    public void Cleanup() => _loop.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public int SynchronizationContextPost()
    {
        for (int i = 0; i < N; i++) _pump.Post(_postCallback, null);
        _pump.RunUntilEmpty();
        return _calls;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public int LoopCallSoon()
    {
        for (int i = 0; i < N; i++) _loop.CallSoon(_callback);
        // One iteration runs all N (they were queued before it began); the loop's own overhead
        // per iteration, including its amortised selector poll, is spread over N.
        _loop.RunUntilIdle();
        return _calls;
    }
}
