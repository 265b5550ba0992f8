using EventLoop.Samples.Fib;

namespace EventLoop.Tests.Samples;

public class FibSampleTests
{
    [Test]
    public void TheTimerKeepsTickingWhileFibonacciRunsOffTheLoop()
    {
        // Real time on purpose: the point is that CPU work on the thread pool does not delay
        // the loop's timer. Bounded: fib(30..33) takes well under a few seconds.
        using var loop = new Loop();
        var output = new StringWriter();
        loop.RunUntilComplete(FibSample.RunAsync(loop, output, from: 30, to: 33, interval: TimeSpan.FromMilliseconds(5)));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var results = lines.Where(l => l.StartsWith("fib(")).ToList();
        Assert.That(results, Is.EqualTo(new[] { "fib(30) = 832040", "fib(31) = 1346269", "fib(32) = 2178309", "fib(33) = 3524578" }));
        int firstResult = Array.FindIndex(lines, l => l.StartsWith("fib("));
        int lastResult = Array.FindLastIndex(lines, l => l.StartsWith("fib("));
        int ticksBetween = lines[firstResult..lastResult].Count(l => l.StartsWith("tick"));
        Assert.That(ticksBetween, Is.GreaterThan(0), "ticks kept coming while the pool computed");
    }

    [Test]
    public void FibIsRight() => Assert.That(FibSample.Fib(20), Is.EqualTo(6765));
}
