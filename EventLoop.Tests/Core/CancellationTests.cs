namespace EventLoop.Tests.Core;

public class CancellationTests : LoopTestBase
{
    [Test]
    public void Cancel_RaisesAtTheAwaitWhereTheTaskIsSuspended()
    {
        var log = new List<string>();
        async LoopTask Sleeper()
        {
            log.Add("before");
            try
            {
                await Loop.Delay(TimeSpan.FromHours(1));
                log.Add("not reached");
            }
            catch (OperationCanceledException)
            {
                log.Add("cancelled at the delay");
                throw;
            }
        }

        var task = Sleeper();
        Loop.RunOnce(TimeSpan.Zero);
        Assert.That(task.Cancel(), Is.True);
        Assert.Throws<OperationCanceledException>(() => Loop.RunUntilComplete(task));

        Assert.That(log, Is.EqualTo(new[] { "before", "cancelled at the delay" }));
        Assert.That(task.Status, Is.EqualTo(LoopTaskStatus.Canceled));
        Assert.That(Elapsed, Is.EqualTo(TimeSpan.Zero), "the hour-long timer was removed, not waited for");
        Assert.That(Loop.TimerCount, Is.Zero);
    }

    [Test]
    public void Cancel_PropagatesDownThroughNestedLoopTasksAndBackUp()
    {
        var unwound = new List<string>();
        async LoopTask Inner()
        {
            try { await Loop.Delay(TimeSpan.FromHours(1)); }
            finally { unwound.Add("inner"); }
        }
        async LoopTask Middle()
        {
            try { await Inner(); }
            finally { unwound.Add("middle"); }
        }
        async LoopTask Outer()
        {
            try { await Middle(); }
            finally { unwound.Add("outer"); }
        }

        var task = Outer();
        Loop.RunOnce(TimeSpan.Zero);
        task.Cancel();
        Assert.Throws<OperationCanceledException>(() => Loop.RunUntilComplete(task));

        Assert.That(unwound, Is.EqualTo(new[] { "inner", "middle", "outer" }));
    }

    [Test]
    public void ATaskThatCatchesTheCancellationEndsNormally()
    {
        async LoopTask<string> Stubborn()
        {
            try { await Loop.Delay(TimeSpan.FromHours(1)); return "slept"; }
            catch (OperationCanceledException) { }
            await Loop.Delay(TimeSpan.FromSeconds(1)); // later awaits are not cancelled again
            return "caught";
        }

        var task = Stubborn();
        Loop.RunOnce(TimeSpan.Zero);
        task.Cancel();

        Assert.That(Loop.RunUntilComplete(task), Is.EqualTo("caught"));
        Assert.That(task.Status, Is.EqualTo(LoopTaskStatus.RanToCompletion));
    }

    [Test]
    public void CancelWhileWaitingOnAPlainTask_IsRaisedAtTheNextLoopAwait()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new List<string>();
        async LoopTask Worker()
        {
            await gate.Task; // not a loop operation: the cancel cannot reach it
            log.Add("resumed");
            await Loop.Yield();
            log.Add("not reached");
        }

        // Started inside the loop, so the await of the plain Task resumes through the loop's
        // synchronization context.
        LoopTask task = default;
        Loop.CallSoon(() => task = Worker());
        Loop.RunOnce(TimeSpan.Zero);
        task.Cancel();
        gate.SetResult();

        Assert.Throws<OperationCanceledException>(() => Loop.RunUntilComplete(task));
        Assert.That(log, Is.EqualTo(new[] { "resumed" }));
    }

    [Test]
    public void AnInfiniteDelayNeverFires_OnlyCancellationEndsIt()
    {
        var forever = Loop.Delay(Timeout.InfiniteTimeSpan);
        Loop.RunOnce(TimeSpan.FromDays(365)); // a year of loop time passes

        Assert.That(forever.IsCompleted, Is.False);
        Assert.That(Loop.TimerCount, Is.Zero, "no timer is scheduled for it");

        forever.Cancel();
        Assert.Throws<OperationCanceledException>(() => Loop.RunUntilComplete(forever));
    }

    [Test]
    public void CancelOfAFinishedTaskReturnsFalse()
    {
        var task = Loop.Delay(TimeSpan.FromSeconds(1));
        Loop.RunUntilComplete(task);

        Assert.That(task.Cancel(), Is.False);
        Assert.That(task.Status, Is.EqualTo(LoopTaskStatus.RanToCompletion));
    }

    [Test]
    public void ACancellationTokenCancelsADelayFromAnotherThread()
    {
        using var cts = new CancellationTokenSource();
        var delay = Loop.Delay(TimeSpan.FromHours(1), cts.Token);
        Loop.RunOnce(TimeSpan.Zero);

        var canceller = new Thread(() => cts.Cancel());
        canceller.Start();
        canceller.Join();

        var error = Assert.Throws<OperationCanceledException>(() => Loop.RunUntilComplete(delay));
        Assert.That(error!.CancellationToken, Is.EqualTo(cts.Token));
        Assert.That(Elapsed, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void WaitForAsync_OnTimeoutCancelsTheInnerTaskAndWaitsForItsCleanup()
    {
        var log = new List<string>();
        async LoopTask Slow()
        {
            try { await Loop.Delay(TimeSpan.FromMinutes(10)); }
            finally
            {
                await Loop.Delay(TimeSpan.FromSeconds(1)); // cleanup that itself awaits
                log.Add("inner cleaned up");
            }
        }

        var inner = Slow();
        var wait = Loop.WaitForAsync(inner, TimeSpan.FromSeconds(5));

        Assert.Throws<TimeoutException>(() => Loop.RunUntilComplete(wait));
        Assert.That(log, Is.EqualTo(new[] { "inner cleaned up" }));
        Assert.That(inner.Status, Is.EqualTo(LoopTaskStatus.Canceled));
        Assert.That(Elapsed, Is.EqualTo(TimeSpan.FromSeconds(6)));
    }

    [Test]
    public void WaitForAsync_ReturnsTheResultWhenInTime()
    {
        async LoopTask<int> Quick()
        {
            await Loop.Delay(TimeSpan.FromSeconds(1));
            return 7;
        }

        Assert.That(Loop.RunUntilComplete(Loop.WaitForAsync(Quick(), TimeSpan.FromSeconds(5))), Is.EqualTo(7));
        Assert.That(Loop.TimerCount, Is.Zero, "the timeout's timer is gone");
    }

    [Test]
    public void CancellingWaitForAsyncCancelsTheInnerTaskAndIsNotATimeout()
    {
        var inner = Loop.Delay(TimeSpan.FromHours(1));
        var wait = Loop.WaitForAsync(inner, TimeSpan.FromMinutes(5));
        Loop.RunOnce(TimeSpan.Zero);

        wait.Cancel();

        Assert.Throws<OperationCanceledException>(() => Loop.RunUntilComplete(wait));
        Assert.That(inner.Status, Is.EqualTo(LoopTaskStatus.Canceled));
    }

    [Test]
    public void CancellingWhenAllCancelsEveryChild()
    {
        var a = Loop.Delay(TimeSpan.FromHours(1));
        var b = Loop.Delay(TimeSpan.FromHours(2));
        var all = Loop.WhenAll(a, b);

        all.Cancel();

        Assert.Throws<OperationCanceledException>(() => Loop.RunUntilComplete(all));
        Assert.That(a.Status, Is.EqualTo(LoopTaskStatus.Canceled));
        Assert.That(b.Status, Is.EqualTo(LoopTaskStatus.Canceled));
    }
}
