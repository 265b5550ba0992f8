namespace EventLoop.Tests.Core;

public class SelectTimeoutTests
{
    [TestCase(0, 0)]
    [TestCase(1, 1_000)]          // 0.1 µs rounds up to a whole millisecond, never a busy poll
    [TestCase(9_990, 1_000)]      // 999 µs: Socket.Select would truncate this to 0 ms
    [TestCase(10_000, 1_000)]     // exactly 1 ms
    [TestCase(10_001, 2_000)]     // just over 1 ms
    [TestCase(15_000_000, 1_500_000)]
    public void RoundsUpToWholeMilliseconds(long ticks, int expectedMicroseconds)
    {
        Assert.That(SelectTimeout.ToMicroseconds(TimeSpan.FromTicks(ticks)), Is.EqualTo(expectedMicroseconds));
    }

    [Test]
    public void InfiniteIsMinusOne() =>
        Assert.That(SelectTimeout.ToMicroseconds(Timeout.InfiniteTimeSpan), Is.EqualTo(-1));

    [Test]
    public void LongWaitsAreClampedToWhatSocketSelectAccepts()
    {
        Assert.That(SelectTimeout.ToMicroseconds(TimeSpan.FromDays(3)), Is.EqualTo(SelectTimeout.MaxMicroseconds));
        Assert.That(SelectTimeout.MaxMicroseconds % 1000, Is.Zero);
    }
}
