using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using EventLoop.Benchmarks.Baselines;

namespace EventLoop.Benchmarks;

/// <summary>
/// (d) Calling an async method that suspends once: an outer method awaits <c>Inner()</c> N times,
/// and Inner yields once. This is the shape of most handler code (await a helper that waits for
/// I/O), so it measures the callee's box and the completion handed back to the caller.
/// Per operation = one call of Inner: its suspension, its completion, and the caller's resumption.
/// </summary>
/// <remarks>
/// Baselines on the pump: <c>async Task</c> (Baseline), <c>async ValueTask</c> (which, when it
/// suspends, is backed by a Task just the same), and <c>async ValueTask</c> with .NET's own
/// <see cref="PoolingAsyncValueTaskMethodBuilder"/> — the BCL's answer to per-call allocation,
/// and so the fairest competitor for the loop's pooled boxes.
/// </remarks>
[MemoryDiagnoser]
public class SuspendingCallBenchmarks
{
    private const int N = 1000;

    private Loop _loop = null!;
    private SingleThreadSynchronizationContext _pump = null!;
    private Func<Task> _taskCalls = null!;
    private Func<Task> _valueTaskCalls = null!;
    private Func<Task> _pooledValueTaskCalls = null!;
    private Func<LoopTask> _loopTaskCalls = null!;

    [GlobalSetup]
    public void Setup()
    {
        _loop = new Loop();
        _pump = new SingleThreadSynchronizationContext();
        _taskCalls = TaskCalls;
        _valueTaskCalls = ValueTaskCalls;
        _pooledValueTaskCalls = PooledValueTaskCalls;
        _loopTaskCalls = LoopTaskCalls;
    }

    [GlobalCleanup]
    public void Cleanup() => _loop.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public void TaskOnPump() => _pump.Run(_taskCalls);

    [Benchmark(OperationsPerInvoke = N)]
    public void ValueTaskOnPump() => _pump.Run(_valueTaskCalls);

    [Benchmark(OperationsPerInvoke = N)]
    public void PooledValueTaskOnPump() => _pump.Run(_pooledValueTaskCalls);

    [Benchmark(OperationsPerInvoke = N)]
    public void LoopTaskOnLoop() => _loop.RunUntilComplete(_loopTaskCalls);

    private static async Task TaskCalls()
    {
        for (int i = 0; i < N; i++) await InnerTask();
    }

    private static async Task InnerTask() => await Task.Yield();

    private static async Task ValueTaskCalls()
    {
        for (int i = 0; i < N; i++) await InnerValueTask();
    }

    private static async ValueTask InnerValueTask() => await Task.Yield();

    private static async Task PooledValueTaskCalls()
    {
        for (int i = 0; i < N; i++) await InnerPooledValueTask();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask InnerPooledValueTask() => await Task.Yield();

    private async LoopTask LoopTaskCalls()
    {
        for (int i = 0; i < N; i++) await LoopTaskInner();
    }

    private async LoopTask LoopTaskInner() => await _loop.Yield();
}
