namespace EventLoop.Tests.Core;

public class ThreadingTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Test]
    public void CallSoonThreadSafe_FromFourThreads_LosesNothing_AndWakesALoopBlockedInSelect()
    {
        using var loop = new Loop();
        const int threads = 4, perThread = 10_000;
        int received = 0;
        // Safety net so a bug fails the test instead of hanging it; never reached when correct.
        var guard = loop.CallLater(Generous, loop.Stop);

        var producers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < perThread; i++)
            {
                loop.CallSoonThreadSafe(() =>
                {
                    if (++received == threads * perThread) loop.Stop();
                });
            }
        })).ToList();
        producers.ForEach(t => t.Start());

        loop.RunForever(); // nothing else wakes it: no timers due, no sockets
        producers.ForEach(t => t.Join());

        Assert.That(received, Is.EqualTo(threads * perThread));
        Assert.That(guard.HasFired, Is.False);
    }

    [Test]
    public void CallSoonThreadSafe_WakesRunOnceThatWouldOtherwiseWaitForever()
    {
        using var loop = new Loop();
        bool ran = false;
        var poster = new Thread(() => loop.CallSoonThreadSafe(() => ran = true));
        poster.Start();

        loop.RunOnce(); // no timers, no maxWait: only the wake-up socket can end this wait
        if (!ran) loop.RunOnce(); // the post may land between the select and the drain
        poster.Join();

        Assert.That(ran, Is.True);
    }

    [Test]
    public void LoopOnlyMethodsCalledFromAnotherThreadThrowAndNameCallSoonThreadSafe()
    {
        using var loop = new Loop();
        Exception? error = null;
        var other = new Thread(() =>
        {
            try { loop.CallSoon(() => { }); }
            catch (Exception e) { error = e; }
        });
        other.Start();
        other.Join();

        Assert.That(error, Is.TypeOf<InvalidOperationException>());
        Assert.That(error!.Message, Does.Contain("CallSoonThreadSafe"));
    }

    [Test]
    public void OneLoopCannotRunOnTwoThreadsAtOnce()
    {
        using var loop = new Loop();
        var running = new ManualResetEventSlim();
        loop.CallSoon(running.Set);
        var runner = new Thread(loop.RunForever);
        runner.Start();
        Assert.That(running.Wait(Generous), Is.True);

        var error = Assert.Throws<InvalidOperationException>(() => loop.RunOnce(TimeSpan.Zero));
        Assert.That(error!.Message, Does.Contain("already running"));

        loop.Stop(); // thread-safe, wakes the runner
        Assert.That(runner.Join(Generous), Is.True);
    }

    [Test]
    public void RunningTheLoopFromInsideACallbackIsRefused()
    {
        using var loop = new Loop();
        Exception? error = null;
        loop.CallSoon(() =>
        {
            try { loop.RunOnce(TimeSpan.Zero); }
            catch (Exception e) { error = e; }
        });

        loop.RunOnce(TimeSpan.Zero);

        Assert.That(error, Is.TypeOf<InvalidOperationException>());
    }

    [Test]
    public void AwaitingARealTaskRunResult_ResumesOnTheLoopThread()
    {
        using var loop = new Loop();
        int loopThread = Environment.CurrentManagedThreadId;
        int workerThread = 0, resumedOn = 0;

        async LoopTask Handler()
        {
            workerThread = await Task.Run(() => Environment.CurrentManagedThreadId);
            resumedOn = Environment.CurrentManagedThreadId;
            await Task.Yield(); // a plain Task await again
            Assert.That(Environment.CurrentManagedThreadId, Is.EqualTo(loopThread));
        }

        loop.RunUntilComplete(Handler);

        Assert.That(workerThread, Is.Not.EqualTo(loopThread));
        Assert.That(resumedOn, Is.EqualTo(loopThread));
    }

    [Test]
    public void TheLoopsSynchronizationContextIsCurrentOnlyWhileItRuns()
    {
        using var loop = new Loop();
        var before = SynchronizationContext.Current;
        SynchronizationContext? inside = null;
        loop.CallSoon(() => inside = SynchronizationContext.Current);

        loop.RunOnce(TimeSpan.Zero);

        Assert.That(inside, Is.SameAs(loop.SynchronizationContext));
        Assert.That(SynchronizationContext.Current, Is.SameAs(before));
        Assert.That(Loop.Current, Is.Null);
    }

    [Test]
    public void RunInExecutor_RunsOffTheLoopAndDeliversTheResultOnIt()
    {
        using var loop = new Loop();
        int loopThread = Environment.CurrentManagedThreadId;
        int workThread = 0, resumedOn = 0;

        async LoopTask<int> Handler()
        {
            int result = await loop.RunInExecutor(() =>
            {
                workThread = Environment.CurrentManagedThreadId;
                return 6 * 7;
            });
            resumedOn = Environment.CurrentManagedThreadId;
            return result;
        }

        Assert.That(loop.RunUntilComplete(Handler), Is.EqualTo(42));
        Assert.That(workThread, Is.Not.EqualTo(loopThread));
        Assert.That(resumedOn, Is.EqualTo(loopThread));
    }

    [Test]
    public void RunInExecutor_DeliversTheWorksException()
    {
        using var loop = new Loop();
        var task = loop.RunInExecutor(new Func<int>(() => throw new FormatException("in the pool")));

        var error = Assert.Throws<FormatException>(() => loop.RunUntilComplete(task));
        Assert.That(error!.Message, Is.EqualTo("in the pool"));
    }

    [Test]
    public void AsTask_CanBeAwaitedFromAnotherThreadWhileTheLoopRuns()
    {
        using var loop = new Loop();
        var future = loop.CreateFuture<string>();
        var fromOtherThread = future.Task.AsTask();
        var waiter = Task.Run(() => fromOtherThread.Wait(Generous) ? fromOtherThread.Result : "timed out");

        loop.CallSoon(() => future.SetResult("hello"));
        loop.RunUntilComplete(future.Task);

        Assert.That(waiter.Wait(Generous), Is.True);
        Assert.That(waiter.Result, Is.EqualTo("hello"));
    }
}

public class ThreadingEdgeTests
{
    [Test]
    public void APlainTaskFinishingAfterTheLoopIsDisposedDoesNotCrashAnything()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new Loop();
        async LoopTask WaitsOnAPlainTask() => await gate.Task;
        LoopTask waiting = default;
        loop.CallSoon(() => waiting = WaitsOnAPlainTask());
        loop.RunOnce(TimeSpan.Zero);
        loop.Dispose();

        var posted = new ManualResetEventSlim();
        ThreadPool.QueueUserWorkItem(_ =>
        {
            gate.SetResult(); // resumes through the disposed loop's synchronization context
            posted.Set();
        });

        Assert.That(posted.Wait(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(waiting.IsCompleted, Is.False, "the loop is gone: the continuation is dropped, not run elsewhere");
    }

    [Test]
    public void CallSoonThreadSafeFromTheCreatingThreadBeforeTheLoopRunsIsNotLost()
    {
        using var loop = new Loop();
        bool ran = false;
        loop.CallSoonThreadSafe(() => ran = true); // not running yet: goes through the inbox
        var runner = new Thread(() => loop.RunOnce(TimeSpan.FromSeconds(10)));
        runner.Start();
        runner.Join();

        Assert.That(ran, Is.True);
    }
}
