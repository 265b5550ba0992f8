namespace EventLoop.Tests.Core;

public class OrderingTests : LoopTestBase
{
    [Test]
    public void CallSoon_RunsCallbacksInTheOrderTheyWereQueued()
    {
        var ran = new List<int>();
        for (int i = 0; i < 5; i++)
        {
            int n = i;
            Loop.CallSoon(() => ran.Add(n));
        }

        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(ran, Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
    }

    [Test]
    public void RunOnce_RunsOnlyCallbacksQueuedBeforeTheStep_NewOnesWaitForTheNextIteration()
    {
        var ran = new List<string>();
        Loop.CallSoon(() =>
        {
            ran.Add("first");
            Loop.CallSoon(() => ran.Add("queued by first"));
        });
        Loop.CallSoon(() => ran.Add("second"));

        Loop.RunOnce(TimeSpan.Zero);
        Assert.That(ran, Is.EqualTo(new[] { "first", "second" }));

        Loop.RunOnce(TimeSpan.Zero);
        Assert.That(ran, Is.EqualTo(new[] { "first", "second", "queued by first" }));
    }

    [Test]
    public void ACallbackThatRequeuesItselfCannotStarveTheIteration()
    {
        int runs = 0;
        void Again()
        {
            runs++;
            Loop.CallSoon(Again);
        }
        Loop.CallSoon(Again);

        for (int i = 0; i < 10; i++) Loop.RunOnce(TimeSpan.Zero);

        Assert.That(runs, Is.EqualTo(10), "one run per iteration, never a recursive burst");
    }

    [Test]
    public void TimersWithEqualDeadlinesFireInSchedulingOrder()
    {
        var ran = new List<int>();
        for (int i = 0; i < 20; i++)
        {
            int n = i;
            Loop.CallLater(TimeSpan.FromSeconds(1), () => ran.Add(n));
        }

        Loop.RunOnce(TimeSpan.FromSeconds(1));

        Assert.That(ran, Is.EqualTo(Enumerable.Range(0, 20)));
    }

    [Test]
    public void TimersFireByDueTime()
    {
        var ran = new List<string>();
        Loop.CallLater(TimeSpan.FromSeconds(3), () => ran.Add("3s"));
        Loop.CallLater(TimeSpan.FromSeconds(1), () => ran.Add("1s"));
        Loop.CallLater(TimeSpan.FromSeconds(2), () => ran.Add("2s"));

        Loop.RunOnce(TimeSpan.FromSeconds(10));
        Assert.That(ran, Is.EqualTo(new[] { "1s" }));
        Assert.That(Elapsed, Is.EqualTo(TimeSpan.FromSeconds(1)), "auto-advance jumps exactly to the first timer");

        Loop.RunOnce(TimeSpan.FromSeconds(10));
        Loop.RunOnce(TimeSpan.FromSeconds(10));
        Assert.That(ran, Is.EqualTo(new[] { "1s", "2s", "3s" }));
        Assert.That(Elapsed, Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public void WithinOneIteration_LeftoverCallbacksRunBeforeDueTimers()
    {
        var ran = new List<string>();
        Loop.CallLater(TimeSpan.Zero, () => ran.Add("timer"));
        Loop.CallSoon(() => ran.Add("soon"));

        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(ran, Is.EqualTo(new[] { "soon", "timer" }));
    }

    [Test]
    public void ATimerCancelledByAnEarlierCallbackOfTheSameIterationDoesNotRun()
    {
        bool fired = false;
        TimerHandle? second = null;
        Loop.CallLater(TimeSpan.FromSeconds(1), () => second!.Cancel());
        second = Loop.CallLater(TimeSpan.FromSeconds(1), () => fired = true);

        Loop.RunOnce(TimeSpan.FromSeconds(1));

        Assert.That(fired, Is.False);
        Assert.That(second.IsCancelled, Is.True);
    }
}
