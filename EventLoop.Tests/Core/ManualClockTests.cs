using EventLoop.Testing;

namespace EventLoop.Tests.Core;

public class ManualClockTests
{
    [Test]
    public void AutoAdvance_ATenMinuteDelayFinishesAtOnceWithNowExactlyTenMinutesLater()
    {
        var clock = new ManualClock { AutoAdvance = true };
        using var loop = new Loop(new LoopOptions { TimeProvider = clock });
        long start = loop.Now;

        loop.RunUntilComplete(loop.Delay(TimeSpan.FromMinutes(10)));

        Assert.That(loop.Elapsed(start, loop.Now), Is.EqualTo(TimeSpan.FromMinutes(10)));
    }

    [Test]
    public void WithoutAutoAdvance_TimeMovesOnlyThroughAdvance()
    {
        var clock = new ManualClock();
        using var loop = new Loop(new LoopOptions { TimeProvider = clock });
        bool fired = false;
        loop.CallLater(TimeSpan.FromSeconds(5), () => fired = true);

        loop.RunOnce(TimeSpan.FromSeconds(10)); // polls and returns: no real sleeping on loop time
        Assert.That(fired, Is.False);
        Assert.That(clock.Elapsed, Is.EqualTo(TimeSpan.Zero));

        clock.Advance(TimeSpan.FromSeconds(4));
        loop.RunOnce(TimeSpan.Zero);
        Assert.That(fired, Is.False);

        clock.Advance(TimeSpan.FromSeconds(1));
        loop.RunOnce(TimeSpan.Zero);
        Assert.That(fired, Is.True);
    }

    [Test]
    public void AdvanceFromAnotherThread_WakesALoopBlockedOnItsSockets()
    {
        var clock = new ManualClock();
        using var loop = new Loop(new LoopOptions { TimeProvider = clock });
        var advancer = new Thread(() => clock.Advance(TimeSpan.FromSeconds(1)));
        advancer.Start();

        loop.RunOnce(); // no timer, no maxWait: blocks until woken (or returns at once if already advanced)
        advancer.Join();

        Assert.That(clock.Elapsed, Is.EqualTo(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public void TimeNeverGoesBack()
    {
        var clock = new ManualClock();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));
    }

    [Test]
    public void UtcNowFollowsTheClock()
    {
        var start = new DateTimeOffset(2030, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(start);

        clock.Advance(TimeSpan.FromHours(2));

        Assert.That(clock.GetUtcNow(), Is.EqualTo(start.AddHours(2)));
    }

    [Test]
    public void ThreadPoolTimersAreRefusedWithAClearMessage()
    {
        var clock = new ManualClock();

        var error = Assert.Throws<NotSupportedException>(() => clock.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.Zero));
        Assert.That(error!.Message, Does.Contain("CallLater"));
    }
}
