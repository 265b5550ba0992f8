using EventLoop.Samples.Counter;
using EventLoop.Testing;

namespace EventLoop.Tests.Samples;

public class CounterSampleTests
{
    [Test]
    public void CountsOncePerIntervalOfLoopTime()
    {
        var clock = new ManualClock { AutoAdvance = true };
        using var loop = new Loop(new LoopOptions { TimeProvider = clock });
        var output = new StringWriter();

        loop.RunUntilComplete(CounterSample.RunAsync(loop, output, TimeSpan.FromSeconds(1), limit: 3));

        Assert.That(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(new[] { "count 1", "count 2", "count 3" }));
        Assert.That(clock.Elapsed, Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [Test]
    [Platform("Linux")]
    public void TheRealProcessExitsZeroOnCtrlC()
    {
        // Ctrl+C itself: the sample gets SIGINT at its default disposition whatever this run inherited.
        using var sample = SampleProcess.WithDefaultSigint("counter", "--interval", "0.05");
        Assert.That(sample.ReadLine(), Is.EqualTo("count 1"));
        Assert.That(sample.ReadLine(), Is.EqualTo("count 2"));

        sample.Interrupt();

        Assert.That(sample.WaitForExit(), Is.Zero);
    }

    [Test]
    [Platform("Linux")]
    public void TheRealProcessExitsZeroOnSigterm()
    {
        using var sample = new SampleProcess("counter", "--interval", "0.05");
        Assert.That(sample.ReadLine(), Is.EqualTo("count 1"));
        Assert.That(sample.ReadLine(), Is.EqualTo("count 2"));

        sample.Terminate();

        Assert.That(sample.WaitForExit(), Is.Zero);
    }
}
