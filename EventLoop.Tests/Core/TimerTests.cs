namespace EventLoop.Tests.Core;

public class TimerTests : LoopTestBase
{
    [Test]
    public void ACancelledTimerNeverRuns()
    {
        bool fired = false;
        var timer = Loop.CallLater(TimeSpan.FromSeconds(5), () => fired = true);

        timer.Cancel();
        Loop.RunOnce(TimeSpan.FromSeconds(10));

        Assert.That(fired, Is.False);
        Assert.That(timer.IsCancelled, Is.True);
        Assert.That(timer.HasFired, Is.False);
    }

    [Test]
    public void ATimerCanRescheduleItselfFromItsCallback()
    {
        var firedAt = new List<TimeSpan>();
        void Tick()
        {
            firedAt.Add(Elapsed);
            if (firedAt.Count < 3) Loop.CallLater(TimeSpan.FromSeconds(2), Tick);
        }
        Loop.CallLater(TimeSpan.FromSeconds(2), Tick);

        for (int i = 0; i < 3; i++) Loop.RunOnce(TimeSpan.FromMinutes(1));

        Assert.That(firedAt, Is.EqualTo(new[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6) }));
        Assert.That(Loop.TimerCount, Is.Zero);
    }

    [Test]
    public void CallAt_FiresAtTheGivenLoopTimestamp()
    {
        long due = Loop.Now + TimeSpan.FromMilliseconds(1500).Ticks; // ManualClock timestamps are ticks
        long firedAt = 0;
        Loop.CallAt(due, () => firedAt = Loop.Now);

        Loop.RunOnce(TimeSpan.FromMinutes(1));

        Assert.That(firedAt, Is.EqualTo(due));
    }

    [Test]
    public void AMillionScheduledThenCancelledTimersDoNotKeepMemory()
    {
        for (int i = 0; i < 1_000_000; i++)
        {
            Loop.CallLater(TimeSpan.FromHours(1), static () => { }).Cancel();
        }

        Assert.That(Loop.Timers.Count, Is.LessThan(100), "cancelled timers are compacted away");
        Assert.That(Loop.Timers.Capacity, Is.LessThan(1000), "and the heap's array shrinks");
    }

    [Test]
    public void AMillionTimersScheduledFirstThenAllCancelledGiveTheirMemoryBack()
    {
        var timers = new List<TimerHandle>(1_000_000);
        for (int i = 0; i < 1_000_000; i++) timers.Add(Loop.CallLater(TimeSpan.FromSeconds(1 + i % 1000), static () => { }));
        Assert.That(Loop.Timers.Capacity, Is.GreaterThanOrEqualTo(1_000_000));

        foreach (var timer in timers) timer.Cancel();

        Assert.That(Loop.Timers.Count, Is.LessThan(100));
        Assert.That(Loop.Timers.Capacity, Is.LessThanOrEqualTo(4096));
    }

    [Test]
    public void CompactionKeepsTheLiveTimersAndTheirOrder()
    {
        var live = new List<int>();
        var ran = new List<int>();
        for (int i = 0; i < 1000; i++)
        {
            int n = i;
            var t = Loop.CallLater(TimeSpan.FromSeconds(1000 - i), () => ran.Add(n));
            if (i % 10 == 0) live.Add(n);
            else t.Cancel();
        }

        while (Loop.TimerCount > 0) Loop.RunOnce(TimeSpan.FromHours(1));

        live.Reverse(); // later i = earlier deadline
        Assert.That(ran, Is.EqualTo(live));
    }

    [Test]
    public void CancelAfterFiringDoesNothing()
    {
        int fired = 0;
        var timer = Loop.CallLater(TimeSpan.FromSeconds(1), () => fired++);
        Loop.RunOnce(TimeSpan.FromSeconds(1));

        timer.Cancel();

        Assert.That(fired, Is.EqualTo(1));
        Assert.That(timer.IsCancelled, Is.False);
        Assert.That(timer.HasFired, Is.True);
    }
}
