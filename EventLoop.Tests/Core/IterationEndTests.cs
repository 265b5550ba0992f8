namespace EventLoop.Tests.Core;

/// <summary>Step 5 of the iteration: <see cref="Loop.CallAtIterationEnd"/>.</summary>
public class IterationEndTests : LoopTestBase
{
    private static readonly Action<object?> Record = static state => ((Action)state!)();

    [Test]
    public void RunsAfterEveryCallbackOfTheIteration_InRegistrationOrder()
    {
        var ran = new List<string>();
        Loop.CallSoon(() =>
        {
            ran.Add("callback 1");
            Loop.CallAtIterationEnd(Record, () => ran.Add("end A"));
        });
        Loop.CallSoon(() =>
        {
            ran.Add("callback 2");
            Loop.CallAtIterationEnd(Record, () => ran.Add("end B"));
        });

        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(ran, Is.EqualTo(new[] { "callback 1", "callback 2", "end A", "end B" }));
    }

    [Test]
    public void WhatItQueues_RunsInTheNextIteration_AndARegistrationMadeDuringStep5WaitsForTheNextEnd()
    {
        var ran = new List<string>();
        Loop.CallSoon(() => Loop.CallAtIterationEnd(Record, () =>
        {
            ran.Add("end 1");
            Loop.CallSoon(() => ran.Add("queued by end 1"));
            Loop.CallAtIterationEnd(Record, () => ran.Add("end registered by end 1"));
        }));

        Loop.RunOnce(TimeSpan.Zero);
        Assert.That(ran, Is.EqualTo(new[] { "end 1" }));

        Loop.RunOnce(TimeSpan.Zero);
        Assert.That(ran, Is.EqualTo(new[] { "end 1", "queued by end 1", "end registered by end 1" }));
    }

    [Test]
    public void ARegistrationMadeOutsideAnIteration_KeepsTheNextIterationFromWaiting()
    {
        bool ran = false;
        Loop.CallAtIterationEnd(Record, (Action)(() => ran = true));

        // With AutoAdvance, a wait of an hour would jump the manual clock by an hour.
        Loop.RunOnce(TimeSpan.FromHours(1));

        Assert.That(ran, Is.True);
        Assert.That(Elapsed, Is.EqualTo(TimeSpan.Zero), "the iteration did not wait while an end-of-iteration callback was pending");
    }

    [Test]
    public void RunUntilIdle_CountsPendingEndOfIterationWork()
    {
        int ends = 0;
        void Again()
        {
            if (++ends < 3) Loop.CallAtIterationEnd(Record, (Action)Again);
        }
        Loop.CallAtIterationEnd(Record, (Action)Again);

        Loop.RunUntilIdle();

        Assert.That(ends, Is.EqualTo(3));
    }

    [Test]
    public void AnExceptionIsReported_AndTheOtherEndOfIterationCallbacksStillRun()
    {
        bool secondRan = false;
        Loop.CallAtIterationEnd(static _ => throw new InvalidOperationException("flush failed"), null);
        Loop.CallAtIterationEnd(Record, (Action)(() => secondRan = true));

        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(secondRan, Is.True);
        Assert.That(Reported.Single().Exception, Is.TypeOf<InvalidOperationException>());
    }

    [Test]
    public void RegisteringAndRunningAllocatesNothing()
    {
        var state = new object();
        Action<object?> noOp = static _ => { };
        for (int i = 0; i < 1000; i++) Loop.CallAtIterationEnd(noOp, state); // grow the queue first
        Loop.RunOnce(TimeSpan.Zero);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Loop.CallAtIterationEnd(noOp, state);
        Loop.RunOnce(TimeSpan.Zero);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void FromAnotherThread_IsRefusedUpFront()
    {
        Exception? error = null;
        var other = new Thread(() =>
        {
            try { Loop.CallAtIterationEnd(static _ => { }, null); }
            catch (Exception e) { error = e; }
        });
        other.Start();
        other.Join();

        Assert.That(error, Is.TypeOf<InvalidOperationException>());
        Loop.RunOnce(TimeSpan.Zero);
    }
}
