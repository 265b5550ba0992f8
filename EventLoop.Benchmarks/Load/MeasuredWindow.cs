using System.Diagnostics;

namespace EventLoop.Benchmarks.Load;

/// <summary>
/// The measured window every load command times the same way: the server starts its CPU and
/// allocation window, then the generator counts; after the duration the generator stops counting
/// (and sending), then the server closes its window. A generator failure ends the wait at once.
/// </summary>
internal static class MeasuredWindow
{
    /// <summary>What the window measured besides the generator's own counts.</summary>
    public sealed record Result(TimeSpan Window, TimeSpan GeneratorCpu, ServerStats Server);

    public static async Task<Result> RunAsync(ServerProcess server, LoadPhase phase, TimeSpan duration, Task failure)
    {
        await server.StartWindowAsync();
        phase.StartMeasuring();
        long started = Stopwatch.GetTimestamp();
        var generatorCpu = Environment.CpuUsage.TotalTime;
        await WhileRunningAsync(failure, duration);
        phase.Stop();
        var window = Stopwatch.GetElapsedTime(started);
        generatorCpu = Environment.CpuUsage.TotalTime - generatorCpu;
        return new Result(window, generatorCpu, await server.StopWindowAsync());
    }

    /// <summary>
    /// Waits <paramref name="duration"/>, but surfaces a generator failure at once instead of after
    /// the wait; <paramref name="failure"/> is a task that completes only when something went wrong.
    /// </summary>
    public static async Task WhileRunningAsync(Task failure, TimeSpan duration)
    {
        if (await Task.WhenAny(failure, Task.Delay(duration)) == failure) await failure;
    }
}
