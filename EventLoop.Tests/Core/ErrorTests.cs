using Microsoft.Extensions.Logging;

namespace EventLoop.Tests.Core;

public class ErrorTests : LoopTestBase
{
    private static void ThrowingCallback() => throw new ApplicationException("callback failed");

    [Test]
    public void AThrowingCallbackDoesNotStopTheLoop_TheHandlerSeesItWithTheCallbacksName()
    {
        bool laterRan = false;
        Loop.CallSoon(ThrowingCallback);
        Loop.CallSoon(() => laterRan = true);

        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(laterRan, Is.True);
        Assert.That(Reported, Has.Count.EqualTo(1));
        Assert.That(Reported[0].Exception, Is.TypeOf<ApplicationException>());
        Assert.That(Reported[0].Source, Does.Contain(nameof(ThrowingCallback)));
    }

    [Test]
    public void AThrowingTimerCallbackIsReportedAndTheNextTimerStillFires()
    {
        bool secondFired = false;
        Loop.CallLater(TimeSpan.FromSeconds(1), ThrowingCallback);
        Loop.CallLater(TimeSpan.FromSeconds(2), () => secondFired = true);

        Loop.RunOnce(TimeSpan.FromMinutes(1));
        Loop.RunOnce(TimeSpan.FromMinutes(1));

        Assert.That(secondFired, Is.True);
        Assert.That(Reported.Single().Source, Does.Contain(nameof(ThrowingCallback)));
    }

    [Test]
    public void AnExceptionHandlerThatThrowsIsLoggedAndTheLoopGoesOn()
    {
        var logs = new CapturingLoggerFactory();
        using var loop = new Loop(new LoopOptions { LoggerFactory = logs });
        loop.ExceptionHandler = _ => throw new InvalidOperationException("handler broke");
        bool after = false;
        loop.CallSoon(ThrowingCallback);
        loop.CallSoon(() => after = true);

        loop.RunOnce(TimeSpan.Zero);

        Assert.That(after, Is.True);
        Assert.That(logs.Entries.Single().Message, Does.Contain("exception handler"));
    }

    [Test]
    public void TheDefaultHandlerLogsAtErrorThroughTheConfiguredLogger()
    {
        var logs = new CapturingLoggerFactory();
        using var loop = new Loop(new LoopOptions { LoggerFactory = logs });
        loop.CallSoon(ThrowingCallback);

        loop.RunOnce(TimeSpan.Zero);

        var entry = logs.Entries.Single();
        Assert.That(entry.Level, Is.EqualTo(LogLevel.Error));
        Assert.That(entry.Message, Does.Contain(nameof(ThrowingCallback)));
        Assert.That(entry.Exception, Is.TypeOf<ApplicationException>());
    }

    [Test]
    public void AnUnobservedSpawnedFailureIsReportedOnce_WhenItFails()
    {
        async LoopTask FailsAfterASecond()
        {
            await Loop.Delay(TimeSpan.FromSeconds(1));
            throw new ApplicationException("nobody listens");
        }

        Loop.Spawn(FailsAfterASecond);
        Loop.RunOnce(TimeSpan.FromMinutes(1)); // the timer fires, the task fails
        Loop.RunUntilIdle();
        Loop.RunUntilIdle();

        Assert.That(Reported, Has.Count.EqualTo(1));
        Assert.That(Reported[0].Exception!.Message, Is.EqualTo("nobody listens"));
        Assert.That(Reported[0].Source, Does.Contain(nameof(FailsAfterASecond)));
        Assert.That(Elapsed, Is.EqualTo(TimeSpan.FromSeconds(1)), "reported when it failed, not later");
        Assert.That(Loop.SpawnedCount, Is.Zero);
    }

    [Test]
    public void ASpawnedFailureThatSomeoneAwaitsIsNotReportedTwice()
    {
        async LoopTask Fails()
        {
            await Loop.Yield();
            throw new ApplicationException("seen");
        }

        var task = Loop.Spawn(Fails);
        Assert.Throws<ApplicationException>(() => Loop.RunUntilComplete(task));
        Loop.RunUntilIdle();

        Assert.That(Reported, Is.Empty);
    }

    [Test]
    public void ASpawnedTaskThatFailsBeforeItsFirstAwaitIsReportedUnlessAwaitedRightAway()
    {
        async LoopTask FailsAtOnce()
        {
            await LoopTask.CompletedTask;
            throw new ApplicationException("at once");
        }

        Loop.Spawn(FailsAtOnce);
        var awaited = Loop.Spawn(FailsAtOnce);
        Assert.Throws<ApplicationException>(() => Loop.RunUntilComplete(awaited));
        Loop.RunUntilIdle();

        Assert.That(Reported, Has.Count.EqualTo(1));
    }

    [Test]
    public void ACancelledSpawnedTaskIsNotAnError()
    {
        var task = Loop.Spawn(() => Loop.Delay(TimeSpan.FromHours(1)));
        Loop.RunOnce(TimeSpan.Zero);
        task.Cancel();
        Loop.RunUntilIdle();

        Assert.That(task.Status, Is.EqualTo(LoopTaskStatus.Canceled));
        Assert.That(Reported, Is.Empty);
    }

    [Test]
    public void SpawnKeepsTheTaskAliveUntilItEnds()
    {
        bool finished = false;
        async LoopTask Background()
        {
            await Loop.Delay(TimeSpan.FromSeconds(5));
            finished = true;
        }
        Loop.Spawn(Background); // the caller drops the task

        GC.Collect();
        GC.WaitForPendingFinalizers();
        for (int i = 0; i < 10 && !finished; i++) Loop.RunOnce(TimeSpan.FromMinutes(1));

        Assert.That(finished, Is.True);
        Assert.That(Loop.SpawnedCount, Is.Zero);
    }

    [Test]
    public void DebugModeLogsCallbacksSlowerThanTheThreshold()
    {
        var logs = new CapturingLoggerFactory();
        // A zero threshold makes every callback "slow", so the test needs no real delay.
        using var loop = new Loop(new LoopOptions { LoggerFactory = logs, Debug = true, SlowCallbackThreshold = TimeSpan.Zero });
        loop.CallSoon(SomeWork);

        loop.RunOnce(TimeSpan.Zero);

        var entry = logs.Entries.Single();
        Assert.That(entry.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(entry.Message, Does.Contain(nameof(SomeWork)).And.Contain("took"));
    }

    [Test]
    public void OutsideDebugModeNothingIsTimed()
    {
        var logs = new CapturingLoggerFactory();
        using var loop = new Loop(new LoopOptions { LoggerFactory = logs, SlowCallbackThreshold = TimeSpan.Zero });
        loop.CallSoon(SomeWork);

        loop.RunOnce(TimeSpan.Zero);

        Assert.That(logs.Entries, Is.Empty);
    }

    private static void SomeWork()
    {
    }
}
