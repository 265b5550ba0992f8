namespace EventLoop.Tests.Core;

/// <summary>Failing tests found in review: each pins one behaviour the design promises.</summary>
public class ReviewFindingsTests : LoopTestBase
{
    [Test]
    public void Delay_Infinite_WaitsUntilCancelled_ItDoesNotCompleteAtTheNextIteration()
    {
        var forever = Loop.Delay(Timeout.InfiniteTimeSpan);

        Loop.RunOnce(TimeSpan.FromHours(1));
        Loop.RunUntilIdle();

        Assert.That(forever.IsCompleted, Is.False, "Delay(Timeout.InfiniteTimeSpan) is documented as 'never, until cancelled'");
        forever.Cancel();
        Assert.Throws<OperationCanceledException>(() => Loop.RunUntilComplete(forever));
    }

    [Test]
    public void CancellingWhenAll_EndsItCancelled_EvenWhenTheChildrenCatchTheCancellation()
    {
        // asyncio's gather: once a cancel reached a child, the gather ends cancelled whatever
        // the children did with it (_GatheringFuture._cancel_requested).
        async LoopTask Stubborn()
        {
            try { await Loop.Delay(TimeSpan.FromHours(1)); }
            catch (OperationCanceledException) { }
        }

        var all = Loop.WhenAll(Stubborn(), Stubborn());
        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(all.Cancel(), Is.True);
        Assert.Throws<OperationCanceledException>(() => Loop.RunUntilComplete(all));
        Assert.That(all.Status, Is.EqualTo(LoopTaskStatus.Canceled));
    }

    [Test]
    public void CancellingATaskSuspendedOnWhenAll_CancelsTheTask_EvenWhenTheChildrenCatchTheCancellation()
    {
        async LoopTask Stubborn()
        {
            try { await Loop.Delay(TimeSpan.FromHours(1)); }
            catch (OperationCanceledException) { }
        }
        var log = new List<string>();
        async LoopTask Main()
        {
            await Loop.WhenAll(Stubborn(), Stubborn());
            log.Add("main went on as if it had not been cancelled");
        }

        var main = Main();
        Loop.RunOnce(TimeSpan.Zero);
        Assert.That(main.Cancel(), Is.True);

        Assert.Throws<OperationCanceledException>(() => Loop.RunUntilComplete(main));
        Assert.That(log, Is.Empty);
    }

    [Test]
    public void ASpawnedFailure_IsStillReported_WhenOnlyAWhenAnyWasWaitingOnIt()
    {
        async LoopTask FailsLater()
        {
            await Loop.Delay(TimeSpan.FromSeconds(10));
            throw new ApplicationException("nobody looks at the loser of a WhenAny");
        }
        LoopTask worker = default;
        async LoopTask Main()
        {
            worker = Loop.Spawn(FailsLater);
            int first = await Loop.WhenAny(worker, Loop.Delay(TimeSpan.FromSeconds(1)));
            Assert.That(first, Is.EqualTo(1));
        }

        Loop.RunUntilComplete(Main);
        Loop.RunUntilComplete(Loop.Delay(TimeSpan.FromMinutes(1))); // the worker fails at 10 s; nothing will ever await it
        Loop.RunUntilIdle();

        Assert.That(worker.Status, Is.EqualTo(LoopTaskStatus.Faulted));
        Assert.That(Reported, Has.Count.EqualTo(1), "a spawned failure nobody awaited is reported, never lost");
    }

    [Test]
    public void Run_CancelsTasksSpawnedWhileShuttingDown_InsteadOfWaitingForThemToEndOnTheirOwn()
    {
        var log = new List<string>();
        async LoopTask Late()
        {
            try
            {
                await Loop.Delay(TimeSpan.FromHours(1));
                log.Add("late ran to its end");
            }
            catch (OperationCanceledException)
            {
                log.Add("late cancelled");
                throw;
            }
        }
        async LoopTask Background()
        {
            try { await Loop.Delay(TimeSpan.FromHours(1)); }
            finally { _ = Loop.Spawn(Late); } // e.g. a supervisor restarting its worker
        }
        async LoopTask Main()
        {
            _ = Loop.Spawn(Background);
            await Loop.Yield();
        }

        Loop.Run(Main);

        Assert.That(log, Is.EqualTo(new[] { "late cancelled" }));
        Assert.That(Elapsed, Is.LessThan(TimeSpan.FromHours(1)), "shutdown waited an hour of loop time for a task it never cancelled");
    }

    [Test]
    public void ACancelThatCouldNotBeDelivered_EndsTheTaskCancelled_WhenItReturnsBeforeAnotherLoopAwait()
    {
        // asyncio's Task.__step: a cancel still pending when the coroutine returns cancels the
        // task. Cancel() returned true and the code caught nothing, so the task must not succeed.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new List<string>();
        async LoopTask Worker()
        {
            await gate.Task; // a plain Task: the cancel cannot reach it
            log.Add("resumed, returns without another loop await");
        }

        LoopTask task = default;
        Loop.CallSoon(() => task = Worker());
        Loop.RunOnce(TimeSpan.Zero);
        Assert.That(task.Cancel(), Is.True);
        gate.SetResult();

        Assert.Throws<OperationCanceledException>(() => Loop.RunUntilComplete(task));
        Assert.That(task.Status, Is.EqualTo(LoopTaskStatus.Canceled));
    }

    [Test]
    public void WhenAny_DoesNotKeepItselfAliveOnTheTasksThatLost()
    {
        // The classic loop of a long-lived connection: wait for the next read or for shutdown.
        // Each finished WhenAny must not stay registered on the shutdown signal, or every
        // iteration leaks one promise (and its continuation) until shutdown.
        var shutdown = Loop.CreateFuture<bool>();
        var finished = FinishedWhenAny(shutdown);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.That(finished.IsAlive, Is.False, "a completed WhenAny is still referenced by the task that lost");
        GC.KeepAlive(shutdown);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private WeakReference FinishedWhenAny(LoopFuture<bool> shutdown)
    {
        var any = Loop.WhenAny(shutdown.Task, Loop.Delay(TimeSpan.FromSeconds(1)));
        Assert.That(Loop.RunUntilComplete(any), Is.EqualTo(1));
        Loop.RunUntilIdle();
        return new WeakReference(any.Source);
    }
}
